import {
  admissionTransitions,
  appointmentTransitions,
  type CapacityResource,
  followUpTransitions,
  labOrderTransitions,
  type Permission,
  type SyncedEntityName,
  type TransitionMap,
  visitTransitions,
} from '@clinicdesk/domain';

/**
 * The server's per-entity policy for pushed writes (DESIGN §5): who may create, update and delete
 * each synced record, and how a conflicting offline edit resolves.
 *
 * - `identity` fields refuse an edit whose `before` no longer matches the server (CONFLICT).
 * - `status` follows its state machine: a transition the machine does not allow from the server's
 *   current status is refused (CONFLICT), however the device got there.
 * - `finalizable` documents are immutable once final (IMMUTABLE); corrections are amendments.
 * - `parent`: a child row (a prescription's items) is frozen when its parent is final.
 * - Every other field merges field by field and the later push wins (contact fields, catalogues).
 */
export type EntityPolicy = {
  create: readonly Permission[];
  update: readonly Permission[];
  delete: readonly Permission[];
  identity?: readonly string[];
  machine?: TransitionMap<string>;
  finalizable?: { finalize: Permission };
  parent?: { entity: SyncedEntityName; field: string };
  capacity?: CapacityResource;
};

const same = (p: Permission): Pick<EntityPolicy, 'create' | 'update' | 'delete'> => ({
  create: [p],
  update: [p],
  delete: [p],
});

export const syncPolicy = {
  patient: {
    create: ['patient.write'],
    update: ['patient.write'],
    delete: ['patient.delete'],
    identity: ['firstName', 'lastName', 'dateOfBirth', 'sex'],
    capacity: 'patients',
  },
  medicine: same('catalogue.write'),
  labTest: same('catalogue.write'),
  pharmacy: same('catalogue.write'),
  appointment: { ...same('appointment.write'), machine: appointmentTransitions },
  visit: {
    create: ['visit.checkin'],
    update: ['visit.status', 'visit.checkin'],
    delete: ['visit.checkin'],
    machine: visitTransitions,
  },
  vitals: same('vitals.write'),
  consultationNote: { ...same('note.write'), finalizable: { finalize: 'note.write' } },
  diagnosis: same('diagnosis.write'),
  prescription: { ...same('prescription.write'), finalizable: { finalize: 'prescription.finalize' } },
  prescriptionItem: {
    ...same('prescription.write'),
    parent: { entity: 'prescription', field: 'prescriptionId' },
  },
  labOrder: {
    create: ['lab_order.write'],
    update: ['lab_order.write', 'lab_result.write'],
    delete: ['lab_order.write'],
    machine: labOrderTransitions,
  },
  labResult: { ...same('lab_result.write'), finalizable: { finalize: 'lab_result.finalize' } },
  prescriptionTemplate: same('template.write'),
  admission: { ...same('admission.write'), machine: admissionTransitions },
  treatmentLog: same('treatment.write'),
  dischargeSummary: { ...same('discharge.write'), finalizable: { finalize: 'discharge.write' } },
  followUp: { ...same('follow_up.write'), machine: followUpTransitions },
  document: same('document.write'),
} as const satisfies Record<SyncedEntityName, EntityPolicy>;
