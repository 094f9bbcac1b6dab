/** Labelled form controls: every input has a visible label tied to it, and errors are announced. */
import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId } from 'react';

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  readonly label: string;
  readonly hint?: string;
  readonly invalid?: boolean;
}

/** A labelled text input. */
export function TextField({ label, hint, invalid = false, className, ...input }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={`field${invalid ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={invalid || undefined}
        aria-describedby={hint ? hintId : undefined}
        {...input}
      />
      {hint ? (
        <small id={hintId} className="hint">
          {hint}
        </small>
      ) : null}
    </div>
  );
}

interface SelectProps extends SelectHTMLAttributes<HTMLSelectElement> {
  readonly label: string;
  readonly invalid?: boolean;
  readonly children: ReactNode;
}

/** A labelled select. */
export function SelectField({ label, invalid = false, children, className, ...select }: SelectProps) {
  const id = useId();
  return (
    <div className={`field${invalid ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={invalid || undefined} {...select}>
        {children}
      </select>
    </div>
  );
}

/** An error (or nothing) announced to screen readers. */
export function ErrorMessage({ text }: { readonly text: string | null }) {
  return text === null ? null : (
    <p className="error" role="alert">
      {text}
    </p>
  );
}
