process.env.TEST_DIALECT = 'postgresql';
