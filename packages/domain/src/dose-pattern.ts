/**
 * Dose patterns as Indian prescriptions write them: `1-0-1` means one unit in the morning, none in
 * the afternoon, one in the evening. Four slots are kept (morning, afternoon, evening, night);
 * the fourth is written only when a night dose exists (`1-0-0-1`). Amounts go in quarter steps and
 * render as `½`, `¼`, `¾`, `1½`. `SOS` means "when needed": it has no daily count, so its
 * quantity is written by hand.
 */
import { z } from 'zod';
import type { MedicineType } from './medicine.schema';

/** Units taken at one time of day: 0 to 20 in steps of ¼. */
export const DoseAmount = z.number().min(0).max(20).multipleOf(0.25);

const slotKeys = ['morning', 'afternoon', 'evening', 'night'] as const;

/** A fixed daily schedule; at least one slot is above zero. */
export const DoseSlots = z
  .object({ morning: DoseAmount, afternoon: DoseAmount, evening: DoseAmount, night: DoseAmount })
  .strict()
  .refine((slots) => slotKeys.some((key) => slots[key] > 0), 'A dose pattern needs at least one dose');
export type DoseSlots = z.infer<typeof DoseSlots>;

/** A dose pattern: a fixed daily schedule, or `'sos'` (when needed). */
export const DosePattern = z.union([DoseSlots, z.literal('sos')]);
export type DosePattern = z.infer<typeof DosePattern>;

/** When to take a medicine relative to food. */
export const FoodInstruction = z.enum(['before_food', 'after_food', 'with_food', 'any_time']);
export type FoodInstruction = z.infer<typeof FoodInstruction>;

/** Printed labels for food instructions. */
export const foodInstructionLabels = {
  before_food: 'Before food',
  after_food: 'After food',
  with_food: 'With food',
  any_time: 'Any time',
} as const satisfies Record<FoodInstruction, string>;

/** The printed label of a food instruction. */
export function foodInstructionLabel(instruction: FoodInstruction): string {
  return foodInstructionLabels[instruction];
}

const FRACTIONS: Record<number, string> = { 0.25: '¼', 0.5: '½', 0.75: '¾' };
const FRACTION_VALUES: Record<string, number> = { '¼': 0.25, '½': 0.5, '¾': 0.75 };

/** Renders one amount: `0`, `1`, `½`, `1½`, `2¾`. */
export function renderDoseAmount(amount: number): string {
  const whole = Math.floor(amount);
  const fraction = FRACTIONS[amount - whole];
  if (fraction === undefined) return String(amount);
  return whole === 0 ? fraction : `${whole}${fraction}`;
}

/** Renders a pattern: `1-0-1`, `1-0-0-1` when a night dose exists, `½-0-½`, or `SOS`. */
export function renderDosePattern(pattern: DosePattern): string {
  if (pattern === 'sos') return 'SOS';
  const slots = pattern.night > 0 ? slotKeys : slotKeys.slice(0, 3);
  return slots.map((key) => renderDoseAmount(pattern[key])).join('-');
}

function parseAmount(text: string): number | null {
  const mixed = /^(\d*)([¼½¾])$/.exec(text);
  if (mixed !== null) {
    const fraction = FRACTION_VALUES[mixed[2] ?? ''] ?? 0;
    return Number(mixed[1] === '' ? 0 : mixed[1]) + fraction;
  }
  const ratio = /^(\d+)\/(\d+)$/.exec(text);
  if (ratio !== null) {
    const denominator = Number(ratio[2]);
    return denominator === 0 ? null : Number(ratio[1]) / denominator;
  }
  if (/^(?:\d+(?:\.\d+)?|\.\d+)$/.test(text)) return Number(text);
  return null;
}

/** Parses `1-0-1`, `1-0-0-1`, `½-0-½`, `0.5-0-1/2` or `SOS` (also `PRN`); null when it is not a valid pattern. */
export function parseDosePattern(text: string): DosePattern | null {
  const normalized = text.trim().toUpperCase();
  if (normalized === 'SOS' || normalized === 'PRN') return 'sos';
  const parts = normalized.split(/\s*[-–—]\s*/);
  if (parts.length !== 3 && parts.length !== 4) return null;
  const amounts = parts.map(parseAmount);
  const [morning, afternoon, evening, night = 0] = amounts;
  if (morning == null || afternoon == null || evening == null || night === null) return null;
  const parsed = DoseSlots.safeParse({ morning, afternoon, evening, night });
  return parsed.success ? parsed.data : null;
}

/** How many times a day the medicine is taken (slots above zero); null for SOS. */
export function dosesPerDay(pattern: DosePattern): number | null {
  if (pattern === 'sos') return null;
  return slotKeys.filter((key) => pattern[key] > 0).length;
}

/** Units taken per day (sum of the slots); null for SOS. */
export function unitsPerDay(pattern: DosePattern): number | null {
  if (pattern === 'sos') return null;
  return slotKeys.reduce((sum, key) => sum + pattern[key], 0);
}

/** Medicine types dispensed as countable units, so a quantity can be worked out from the pattern. */
export const countableMedicineTypes: readonly MedicineType[] = ['tablet', 'capsule', 'injection'];

/** Options of `quantityFor`. */
export interface QuantityOptions {
  /** Multiplier when each pattern unit is several dispensed units (default 1). */
  unitsPerDose?: number;
  /** When given and not countable (syrup, ointment, drops…), there is no computed quantity. */
  medicineType?: MedicineType;
}

/** Units to dispense for `days` days, rounded up; 0 for zero days, null for SOS or non-countable types (written by hand). */
export function quantityFor(
  pattern: DosePattern,
  days: number,
  options: QuantityOptions = {},
): number | null {
  if (!Number.isInteger(days) || days < 0)
    throw new RangeError(`days must be a non-negative integer, got ${days}`);
  const unitsPerDose = options.unitsPerDose ?? 1;
  if (!(unitsPerDose > 0) || !Number.isFinite(unitsPerDose)) {
    throw new RangeError(`unitsPerDose must be a positive number, got ${unitsPerDose}`);
  }
  if (days === 0) return 0;
  if (options.medicineType !== undefined && !countableMedicineTypes.includes(options.medicineType))
    return null;
  const perDay = unitsPerDay(pattern);
  if (perDay === null) return null;
  // Round away float noise (e.g. 3 × 0.1 × 10) before rounding part-units up.
  return Math.ceil(Math.round(perDay * days * unitsPerDose * 1e6) / 1e6);
}
