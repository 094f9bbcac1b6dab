/** A modal dialog on the native <dialog> element: focus stays inside, Escape closes it. */
import { type ReactNode, useEffect, useRef } from 'react';

/** Shows `children` in a modal while mounted. */
export function Modal({
  label,
  className,
  onClose,
  children,
}: {
  readonly label: string;
  readonly className?: string;
  readonly onClose: () => void;
  readonly children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-label={label}
      className={`modal ${className ?? ''}`}
      // Escape closes the dialog and fires `close`. A close event of a dialog that is open again
      // (React re-running the effect in development) is not the user's, so it is ignored.
      onClose={() => {
        if (ref.current?.open !== true) onClose();
      }}
    >
      {children}
    </dialog>
  );
}
