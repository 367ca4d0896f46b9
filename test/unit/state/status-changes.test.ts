import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Order, OrderStatus, Reservation, ReservationStatus, VoucherRedemption, RedemptionStatus } from '../../../src/entities';
import { isAllowedTransition, transition, UndeclaredTransitionError } from '../../../src/services/state/transition';

const SRC = join(__dirname, '../../../src');
/** The state module is the one place allowed to change a status; entity files only declare defaults. */
const ALLOWED = [join(SRC, 'services/state'), join(SRC, 'entities')];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('status changes', () => {
  it('when any code outside the state module assigns .status directly, then this test names it', () => {
    // `x.status = …`, `x.status += …` and `x['status'] = …`, but not comparisons (`===`).
    const direct = /(\.status|\[['"]status['"]\])\s*[+-]?=(?!=)/;
    const offenders = sourceFiles(SRC)
      .filter((file) => !ALLOWED.some((dir) => file.startsWith(dir)))
      .flatMap((file) => readFileSync(file, 'utf8').split('\n')
        .map((line, index) => ({ line, where: `${relative(SRC, file)}:${index + 1}` }))
        .filter(({ line }) => direct.test(line) && !line.trim().startsWith('//') && !line.trim().startsWith('*')))
      .map(({ where, line }) => `${where}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });

  it('when a move is declared, then it is allowed; when it is not, then it is refused', () => {
    expect(isAllowedTransition(Order, OrderStatus.PENDING_PAYMENT, OrderStatus.PLACED)).toBe(true);
    expect(isAllowedTransition(Order, OrderStatus.CANCELLED, OrderStatus.PLACED)).toBe(false);
    expect(isAllowedTransition(VoucherRedemption, RedemptionStatus.RELEASED, RedemptionStatus.HELD)).toBe(false);
    expect(isAllowedTransition(Reservation, ReservationStatus.ACTIVE, ReservationStatus.CONVERTED)).toBe(true);
  });

  it('when transition() is asked for an undeclared move, then it throws before touching the database', async () => {
    const untouchable = new Proxy({}, { get: () => { throw new Error('the database was touched'); } });
    await expect(transition(untouchable as never, Order, 'some-id', OrderStatus.REFUNDED, OrderStatus.PLACED)).rejects.toBeInstanceOf(UndeclaredTransitionError);
  });
});
