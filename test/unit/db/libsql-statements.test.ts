import Database from 'libsql';
import { LibSqlStatements, libsqlStatement, type LibSqlConnection } from '../../../src/db/sql/libsql-statements';

/** The libSQL statement path (db/sql/libsql-statements.ts) on a real in-memory libSQL database. */
describe('libSQL statements: compiled once per connection, parameters bound', () => {
  const open = (): LibSqlConnection & { exec(sql: string): void; close(): void } => new Database(':memory:') as never;

  it('when the same text runs again on a connection, then it is the statement compiled the first time, answering the new parameters', () => {
    const db = open();
    db.exec('create table t (id integer primary key, name text)');
    const statements = new LibSqlStatements();
    const insert = statements.of(db, 'insert into t (id, name) values (?, ?)');
    insert.run([1, 'a']);
    expect(statements.of(db, 'insert into t (id, name) values (?, ?)')).toBe(insert);
    statements.of(db, 'insert into t (id, name) values (?, ?)').run([2, 'b']);
    const read = statements.of(db, 'select name from t where id = ?');
    expect(read.all([1])).toEqual([{ name: 'a' }]);
    expect(statements.of(db, 'select name from t where id = ?').all([2])).toEqual([{ name: 'b' }]);
    db.close();
  });

  it('when another connection runs the same text, then it compiles its own', () => {
    const [a, b] = [open(), open()];
    for (const db of [a, b]) db.exec('create table t (id integer)');
    const statements = new LibSqlStatements();
    expect(statements.of(a, 'select id from t')).not.toBe(statements.of(b, 'select id from t'));
    a.close();
    b.close();
  });

  it('when more shapes run than a connection keeps, then the least recently used is compiled again', () => {
    const db = open();
    const statements = new LibSqlStatements(2);
    const one = statements.of(db, 'select 1');
    const two = statements.of(db, 'select 2');
    expect(statements.of(db, 'select 1')).toBe(one);
    statements.of(db, 'select 3');
    expect(statements.of(db, 'select 1')).toBe(one);
    const twoAgain = statements.of(db, 'select 2');
    expect(twoAgain).not.toBe(two);
    expect(twoAgain.all([])).toEqual([{ 2: 2 }]);
    db.close();
  });

  it('when a parameter is a list, then each element is a placeholder of its own; dates, booleans and objects bind as the ORM wrote them', () => {
    const at = new Date('2026-12-08T00:00:00.000Z');
    expect(
      libsqlStatement('select * from t where id in (?) and at < ? and on = ? and data = ? and gone is ?', [[1, 2, 3], at, true, { a: 1 }, undefined]),
    ).toEqual({
      text: 'select * from t where id in (?, ?, ?) and at < ? and on = ? and data = ? and gone is ?',
      values: [1, 2, 3, at.getTime(), 1, '{"a":1}', null],
    });
    expect(libsqlStatement('select ? as n', [false])).toEqual({ text: 'select ? as n', values: [0] });
  });
});
