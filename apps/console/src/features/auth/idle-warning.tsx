import { ModalDialog } from '../../ui/modal-dialog';

/** The last minute before an idle sign-out: a countdown and a way to stay. */
export function IdleWarning({
  secondsLeft,
  onStay,
  onSignOut,
}: {
  secondsLeft: number;
  onStay: () => void;
  onSignOut: () => void;
}) {
  return (
    <ModalDialog title="Still there?" onClose={onStay} role="alertdialog">
      <div className="modal-body">
        <p aria-live="polite">
          You will be signed out in <strong>{secondsLeft} seconds</strong> because the console has not been
          used for 14 minutes.
        </p>
      </div>
      <div className="modal-actions">
        <button type="button" className="button" onClick={onSignOut}>
          Sign out now
        </button>
        <button type="button" className="button button-primary" onClick={onStay} data-autofocus>
          Stay signed in
        </button>
      </div>
    </ModalDialog>
  );
}
