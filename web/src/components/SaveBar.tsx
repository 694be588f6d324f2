import { ErrorNote } from './ErrorNote';

/** What SaveBar reads of a mutation (any useMutation result fits). */
interface MutationState {
  isPending: boolean;
  isSuccess: boolean;
  error: unknown;
}

/** The submit row of a settings form: button, a "Saved" confirmation, and the API's error. */
export function SaveBar({ mutation, disabled, label = 'Save' }: { mutation: MutationState; disabled?: boolean; label?: string }) {
  return (
    <div className="save-bar">
      <button type="submit" className="button button-primary" disabled={disabled || mutation.isPending}>
        {mutation.isPending ? 'Saving…' : label}
      </button>
      {mutation.isSuccess && (
        <span className="saved" role="status">
          Saved
        </span>
      )}
      <ErrorNote error={mutation.error} />
    </div>
  );
}

