import { describe, expect, it } from 'vitest';
import { PrescriptionItemInput, PrescriptionLine } from './prescription.schema';
import { PrescriptionTemplateInput } from './prescription-template.schema';
import { exampleFields, exampleInput } from './test-support';

describe('prescription lines', () => {
  it('default to after food and accept SOS patterns without a quantity', () => {
    const { foodInstruction: _omitted, ...rest } = exampleInput('prescriptionItem');
    const parsed = PrescriptionItemInput.parse({ ...rest, dosePattern: 'sos', quantity: null });
    expect(parsed.foodInstruction).toBe('after_food');
    expect(parsed.dosePattern).toBe('sos');
  });

  it('refuse an unknown medicine type or an empty pattern', () => {
    const base = exampleInput('prescriptionItem');
    expect(PrescriptionItemInput.safeParse({ ...base, medicineType: 'pill' }).success).toBe(false);
    expect(
      PrescriptionItemInput.safeParse({
        ...base,
        dosePattern: { morning: 0, afternoon: 0, evening: 0, night: 0 },
      }).success,
    ).toBe(false);
  });

  it('are stored in templates without ids', () => {
    const [line] = exampleFields.prescriptionTemplate.items;
    expect(PrescriptionLine.safeParse(line).success).toBe(true);
    expect(
      PrescriptionLine.safeParse({ ...line, prescriptionId: exampleInput('prescription').id }).success,
    ).toBe(false);
  });
});

describe('prescription templates', () => {
  it('take a one-word keyword', () => {
    const base = exampleInput('prescriptionTemplate');
    expect(PrescriptionTemplateInput.safeParse({ ...base, keyword: 'viral-fever' }).success).toBe(true);
    expect(PrescriptionTemplateInput.safeParse({ ...base, keyword: 'बुखार' }).success).toBe(true);
    expect(PrescriptionTemplateInput.safeParse({ ...base, keyword: 'two words' }).success).toBe(false);
    expect(PrescriptionTemplateInput.safeParse({ ...base, keyword: '' }).success).toBe(false);
  });
});
