// Autosave for the story form: after the writer pauses, the form is sent with the version it was
// based on. The server refuses a save based on an old version (409), and the writer is told
// instead of anything being overwritten.

export type SaveState =
  | { kind: 'idle' }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: Date; version: number }
  | { kind: 'conflict'; message: string }
  | { kind: 'failed'; message: string };

export interface AutosaveOptions {
  url: string;
  csrfToken: string;
  version: number;
  /** The form's current content, as sent to the server. */
  collect: () => Record<string, unknown>;
  onState: (state: SaveState) => void;
  delayMs?: number;
  fetchImpl?: typeof fetch;
}

export function createAutosave(options: AutosaveOptions) {
  const delay = options.delayMs ?? 2000;
  const send = options.fetchImpl ?? fetch;
  let version = options.version;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;
  let again = false;
  let stopped = false;
  /** Changed since the form was last collected for a save. */
  let dirty = false;

  async function save(): Promise<void> {
    if (stopped) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    options.onState({ kind: 'saving' });
    try {
      dirty = false;
      const response = await send(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': options.csrfToken, accept: 'application/json' },
        body: JSON.stringify({ ...options.collect(), expectedVersion: version }),
        credentials: 'same-origin',
      });
      const data = (await response.json().catch(() => ({}))) as { version?: number; errors?: { message: string }[] };
      if (response.ok && typeof data.version === 'number') {
        version = data.version;
        options.onState({ kind: 'saved', at: new Date(), version });
        // What was typed while this save was on its way is not in it: say so until its own save lands.
        if (dirty) options.onState({ kind: 'pending' });
      } else if (response.status === 409) {
        // Stop: further saves would only repeat the conflict; the writer decides what to do.
        stopped = true;
        options.onState({ kind: 'conflict', message: data.errors?.[0]?.message ?? 'Someone else saved this story since you opened it.' });
      } else {
        options.onState({ kind: 'failed', message: data.errors?.map((e) => e.message).join(' ') || `Not saved (error ${response.status}).` });
      }
    } catch {
      options.onState({ kind: 'failed', message: 'Not saved: the newsroom could not be reached. Your text is still here; saving again shortly.' });
      schedule();
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        void save();
      }
    }
  }

  function schedule(): void {
    if (stopped) return;
    dirty = true;
    if (timer) clearTimeout(timer);
    options.onState({ kind: 'pending' });
    timer = setTimeout(() => void save(), delay);
  }

  return {
    /** Call on every change. */
    changed: schedule,
    /** Saves now (e.g. before leaving the page). */
    flush: () => {
      if (timer) clearTimeout(timer);
      return save();
    },
    get version() {
      return version;
    },
  };
}

export function describeState(state: SaveState): string {
  switch (state.kind) {
    case 'idle':
      return '';
    case 'pending':
      return 'Unsaved changes';
    case 'saving':
      return 'Saving…';
    case 'saved':
      return `Saved at ${state.at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}`;
    case 'conflict':
    case 'failed':
      return state.message;
  }
}
