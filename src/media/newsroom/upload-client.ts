// Browser code: uploads one image to the media library with XMLHttpRequest (fetch cannot report
// upload progress). Used by the library screen's island and the story editor's image picker.
import { UPLOAD_URL, type PickerImage } from './picker-image.ts';

export interface UploadError {
  field?: string;
  message: string;
}

export type UploadResult = { ok: true; image: PickerImage } | { ok: false; errors: UploadError[] };

/**
 * Sends `file` and reports progress as a fraction: below 1 while bytes are on their way, exactly 1
 * once they have all arrived and the server is making the variants. Never rejects: every failure
 * comes back as `{ ok: false, errors }` with messages written for the uploader.
 */
export function uploadImage(file: File, csrfToken: string, onProgress: (fraction: number) => void): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', UPLOAD_URL);
    xhr.setRequestHeader('x-csrf-token', csrfToken);
    // The newsroom answers refusals (signed out, no permission) as JSON to requests that accept it.
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.min(event.loaded / event.total, 1));
    });
    xhr.upload.addEventListener('load', () => onProgress(1));
    xhr.addEventListener('load', () => resolve(outcome(xhr.status, xhr.responseText)));
    const unreachable = () =>
      resolve({ ok: false, errors: [{ message: 'The upload did not reach the server; check your connection and try again.' }] });
    xhr.addEventListener('error', unreachable);
    xhr.addEventListener('timeout', unreachable);
    xhr.addEventListener('abort', () => resolve({ ok: false, errors: [{ message: 'The upload was cancelled.' }] }));
    const body = new FormData();
    body.append('file', file, file.name);
    xhr.send(body);
  });
}

function outcome(status: number, text: string): UploadResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const body = (data && typeof data === 'object' ? data : {}) as { image?: PickerImage; errors?: UploadError[] };
  if (status === 201 && body.image) return { ok: true, image: pickerFields(body.image) };
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    return { ok: false, errors: body.errors.map((e) => ({ ...(e.field && { field: String(e.field) }), message: String(e.message) })) };
  }
  if (status === 413) return { ok: false, errors: [{ field: 'file', message: 'The file is too large to upload.' }] };
  return { ok: false, errors: [{ message: `The upload failed (the server answered ${status}); try again.` }] };
}

/** The upload route answers with the full record; keep only what a list of images uses. */
function pickerFields(image: PickerImage): PickerImage {
  const { id, filename, width, height, alt, caption, credit, thumbnail, createdAt } = image;
  return { id, filename, width, height, alt, caption, credit, thumbnail, createdAt };
}
