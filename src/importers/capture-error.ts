// The one error type of the capture importer. It keeps the reason apart from the file it concerns,
// so the command can print `error: <file>: <reason>` without naming the file twice.

export class CaptureError extends Error {
  override readonly name = 'CaptureError';

  constructor(
    /** What is wrong, written for the person who ran the import. */
    readonly reason: string,
    /** The file at fault, when the error came from reading one. */
    readonly file?: string,
  ) {
    super(file === undefined ? reason : `${file}: ${reason}`);
  }
}
