process.env.TEST_DIALECT = 'libsql';
