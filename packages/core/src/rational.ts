/**
 * Exact amounts in euro cents. Whole cents are a JavaScript number (exact below 2^53 cents, i.e.
 * ninety trillion euros); the fractions of a cent that a pro-rata split leaves are kept as an
 * exact fraction with BigInt numerator and denominator. domain.md §3: "Pro-rata shares keep their
 * fractions of a cent until this final rounding". Only performances that cross a boundary of the
 * reporting period produce fractions, so the BigInt path is rare.
 */
export class ExactCents {
  /** Whole cents. */
  cents = 0;
  /** Fraction of a cent, numerator / denominator, 0 <= value < 1 after normalise. */
  private num = 0n;
  private den = 1n;

  /** Adds whole cents (may be negative). */
  addCents(cents: number): void {
    this.cents += cents;
  }

  /** Adds `cents × part / whole` exactly (pro rata by days). */
  addShare(cents: number, part: number, whole: number): void {
    if (part === whole) {
      this.cents += cents;
      return;
    }
    const product = cents * part;
    const whole_ = Math.floor(product / whole);
    const remainder = product - whole_ * whole; // 0 <= remainder < whole, also for negative cents
    this.cents += whole_;
    if (remainder !== 0) this.addFraction(BigInt(remainder), BigInt(whole));
  }

  add(other: ExactCents): void {
    this.cents += other.cents;
    if (other.num !== 0n) this.addFraction(other.num, other.den);
  }

  private addFraction(num: bigint, den: bigint): void {
    let n = this.num * den + num * this.den;
    let d = this.den * den;
    const g = gcd(n < 0n ? -n : n, d);
    if (g > 1n) {
      n /= g;
      d /= g;
    }
    if (n >= d) {
      const whole = n / d;
      this.cents += Number(whole);
      n -= whole * d;
    }
    this.num = n;
    this.den = d;
  }

  /** The value as a fraction of cents: [numerator, denominator], exact. */
  asFraction(): [bigint, bigint] {
    return [BigInt(this.cents) * this.den + this.num, this.den];
  }

  isZero(): boolean {
    return this.cents === 0 && this.num === 0n;
  }

  /** Approximate value in cents, for display only. */
  toNumber(): number {
    return this.cents + Number(this.num) / Number(this.den);
  }

  clone(): ExactCents {
    const copy = new ExactCents();
    copy.cents = this.cents;
    copy.num = this.num;
    copy.den = this.den;
    return copy;
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** floor(n / d) for BigInt with d > 0. */
export function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

/** Whole euros of an exact cent amount, rounded half up (x.50 euro → x+1, −x.50 → −x). */
export function roundHalfUpToEuros(amount: ExactCents): number {
  const [n, d] = amount.asFraction();
  // euros = n / (100 d); half up = floor(n / (100 d) + 1/2) = floor((2n + 100d) / (200d))
  return Number(floorDiv(2n * n + 100n * d, 200n * d));
}

/**
 * Rounds parts to whole euros so that they add up to `total` exactly: every part is rounded
 * down, and the euros still missing go one each to the parts with the largest remainders;
 * equal remainders go to the earlier part (domain.md §3: the category order HH_Hulp, BG, DB,
 * OV_OND, HULP_DNST, ONBEKEND).
 */
export function largestRemainder(parts: readonly ExactCents[], total: number): number[] {
  const floors: number[] = [];
  const remainders: { index: number; num: bigint; den: bigint }[] = [];
  let sum = 0;
  parts.forEach((part, index) => {
    const [n, d] = part.asFraction();
    const den = 100n * d;
    const floor = floorDiv(n, den);
    floors.push(Number(floor));
    sum += Number(floor);
    remainders.push({ index, num: n - floor * den, den });
  });
  let missing = total - sum;
  if (missing < 0 || missing > parts.length) {
    throw new RangeError(`largest remainder: total ${total} is not reachable from the parts (floor sum ${sum})`);
  }
  const order = [...remainders].sort((a, b) => {
    const diff = b.num * a.den - a.num * b.den;
    if (diff !== 0n) return diff > 0n ? 1 : -1;
    return a.index - b.index;
  });
  for (const r of order) {
    if (missing === 0) break;
    floors[r.index] = floors[r.index]! + 1;
    missing--;
  }
  return floors;
}
