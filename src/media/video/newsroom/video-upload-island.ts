// The Videos tab's island: shows the upload form (it needs scripts), uploads resumably with progress
// ("Uploading… 42 %", then "Checking the file…" while ffprobe reads it), then follows the new
// clip's conversion; on a clip's screen it keeps the state current and reads a chosen caption file
// into the text box. Markup contract: video-screens.tsx.
import { Upload, type DetailedError } from 'tus-js-client';

/** Bytes per PATCH: a break costs at most this much again, and no single request runs for long. */
const CHUNK_BYTES = 16 * 1024 * 1024;

type UploadAnswer = { status: number; body: unknown };

/**
 * Uploads the chosen file by the tus protocol: in chunks, retried after a network error, and
 * taken up again where it stopped when the same file is chosen after a reload (tus-js-client keeps
 * the upload's address in local storage). The text fields travel as the upload's metadata.
 */
function uploadResumably(form: HTMLFormElement, file: File, onProgress: (fraction: number, resumed: boolean) => void): Promise<UploadAnswer> {
  const metadata: Record<string, string> = { filename: file.name, filetype: file.type };
  for (const input of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[type="text"], textarea')) metadata[input.name] = input.value;
  return new Promise((resolve) => {
    let resumed = false;
    const upload = new Upload(file, {
      endpoint: form.dataset.videoUpload,
      chunkSize: CHUNK_BYTES,
      retryDelays: [0, 1000, 3000, 10_000, 30_000],
      metadata,
      headers: { 'x-csrf-token': form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '', accept: 'application/json' },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => onProgress(total > 0 ? Math.min(sent / total, 1) : 0, resumed),
      onSuccess: ({ lastResponse }) => resolve({ status: lastResponse.getStatus(), body: parsed(lastResponse.getBody()) }),
      onError: (error) => {
        const response = (error as DetailedError).originalResponse;
        if (response) resolve({ status: response.getStatus(), body: parsed(response.getBody()) });
        else resolve({ status: 0, body: { errors: [{ message: 'The upload did not reach the server; check your connection and choose the file again to go on from where it stopped.' }] } });
      },
    });
    void upload.findPreviousUploads().then((previous) => {
      if (previous[0]) {
        resumed = true;
        upload.resumeFromPreviousUpload(previous[0]);
      }
      upload.start();
    });
  });
}

function parsed(text: string | undefined): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function startUpload(form: HTMLFormElement): void {
  form.hidden = false;
  const progress = form.querySelector<HTMLProgressElement>('[data-upload-progress]')!;
  const status = form.querySelector<HTMLElement>('[data-upload-status]')!;
  const errors = form.querySelector<HTMLElement>('[data-upload-errors]')!;
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"]')!;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    errors.replaceChildren();
    const file = form.querySelector<HTMLInputElement>('input[type="file"]')?.files?.[0];
    if (!file) {
      errors.textContent = 'Choose a video file to upload.';
      return;
    }
    button.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    let announced = 0;
    status.textContent = 'Uploading… 0 %';
    void uploadResumably(form, file, (fraction, resumed) => {
      if (fraction >= 1) {
        progress.removeAttribute('value');
        status.textContent = 'Checking the file…';
        return;
      }
      const percent = Math.floor(fraction * 100);
      progress.value = percent;
      if (percent - announced >= 10) {
        announced = percent;
        status.textContent = resumed ? `Uploading (going on from where it stopped)… ${percent} %` : `Uploading… ${percent} %`;
      }
    }).then(({ status: code, body }) => {
      button.disabled = false;
      progress.hidden = true;
      const answer = (body ?? {}) as { video?: { url: string; title: string; state: string }; errors?: { message: string }[] };
      if (code !== 201 || !answer.video) {
        status.textContent = '';
        errors.textContent = (answer.errors ?? [{ message: `The upload failed (the server answered ${code}); try again.` }]).map((e) => e.message).join(' ');
        return;
      }
      status.textContent = `Uploaded “${answer.video.title}”: ${answer.video.state}`;
      addToList(answer.video);
    });
  });
}

function addToList(video: { id?: number; url: string; title: string; state: string }): void {
  const list = document.querySelector<HTMLUListElement>('[data-video-list]');
  if (!list) return;
  const item = document.createElement('li');
  item.className = 'video-item';
  const thumb = document.createElement('span');
  thumb.className = 'video-thumb video-thumb-empty';
  const link = document.createElement('a');
  link.className = 'media-name';
  link.href = video.url;
  link.textContent = video.title;
  const state = document.createElement('span');
  state.className = 'video-state';
  state.dataset.videoStatus = '';
  state.dataset.videoJson = `${video.url}/status`;
  state.textContent = video.state;
  item.append(thumb, link, state);
  list.prepend(item);
  follow(state);
  link.focus();
}

/** Polls a converting clip's state every two seconds until it is ready or failed. */
function follow(element: HTMLElement): void {
  const url = element.dataset.videoJson;
  if (!url) return;
  const tick = async () => {
    const res = await fetch(url, { headers: { accept: 'application/json' } }).catch(() => null);
    const body = res?.ok ? ((await res.json()) as { status: string; state: string }) : null;
    if (body) element.textContent = body.state;
    if (!body || body.status === 'processing') setTimeout(() => void tick(), 2000);
  };
  setTimeout(() => void tick(), 2000);
}

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-video-upload]')) startUpload(form);
for (const element of document.querySelectorAll<HTMLElement>('[data-video-status][data-video-json]')) follow(element);
for (const input of document.querySelectorAll<HTMLInputElement>('input[data-caption-file]')) {
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    const box = input.form?.querySelector<HTMLTextAreaElement>('textarea[name="text"]');
    if (file && box) void file.text().then((text) => (box.value = text));
  });
}
