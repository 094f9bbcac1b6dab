import { describe, expect, it } from 'vitest';
import { AppointmentInput, appointmentEndTime, slotsOverlap } from './appointment.schema';
import { exampleInput } from './test-support';

describe('Appointment', () => {
  it('takes HH:MM start times and a slot that ends by midnight', () => {
    expect(
      AppointmentInput.safeParse({ ...exampleInput('appointment'), startTime: '23:45', slotMinutes: 15 })
        .success,
    ).toBe(true);
    expect(
      AppointmentInput.safeParse({ ...exampleInput('appointment'), startTime: '23:50', slotMinutes: 15 })
        .success,
    ).toBe(false);
    expect(AppointmentInput.safeParse({ ...exampleInput('appointment'), startTime: '9:30' }).success).toBe(
      false,
    );
    expect(AppointmentInput.safeParse({ ...exampleInput('appointment'), startTime: '24:00' }).success).toBe(
      false,
    );
    expect(AppointmentInput.safeParse({ ...exampleInput('appointment'), slotMinutes: 2 }).success).toBe(
      false,
    );
  });

  it('computes the end of a slot', () => {
    expect(appointmentEndTime('10:15', 15)).toBe('10:30');
    expect(appointmentEndTime('09:50', 20)).toBe('10:10');
    expect(appointmentEndTime('23:45', 15)).toBe('24:00');
  });

  it('detects overlapping slots, not touching ones', () => {
    expect(
      slotsOverlap({ startTime: '10:00', slotMinutes: 15 }, { startTime: '10:10', slotMinutes: 15 }),
    ).toBe(true);
    expect(
      slotsOverlap({ startTime: '10:00', slotMinutes: 15 }, { startTime: '10:15', slotMinutes: 15 }),
    ).toBe(false);
    expect(
      slotsOverlap({ startTime: '10:00', slotMinutes: 60 }, { startTime: '10:15', slotMinutes: 15 }),
    ).toBe(true);
  });
});
