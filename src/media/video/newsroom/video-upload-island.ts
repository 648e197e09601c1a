// The Videos tab's island: shows the upload form (it needs scripts), uploads with progress
// ("Uploading… 42 %", then "Checking the file…" while ffprobe reads it), then follows the new
// clip's conversion; on a clip's screen it keeps the state current and reads a chosen caption file
// into the text box. Markup contract: video-screens.tsx.

function uploadWithProgress(form: HTMLFormElement, onProgress: (fraction: number) => void): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', form.action);
    xhr.setRequestHeader('x-csrf-token', form.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value ?? '');
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(Math.min(event.loaded / event.total, 1));
    });
    xhr.upload.addEventListener('load', () => onProgress(1));
    xhr.addEventListener('load', () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      resolve({ status: xhr.status, body });
    });
    const failed = () => resolve({ status: 0, body: { errors: [{ message: 'The upload did not reach the server; check your connection and try again.' }] } });
    xhr.addEventListener('error', failed);
    xhr.addEventListener('timeout', failed);
    // The text fields first, the file last: the server checks them before reading the file.
    const data = new FormData();
    for (const input of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[type="text"], textarea')) data.append(input.name, input.value);
    const file = form.querySelector<HTMLInputElement>('input[type="file"]')?.files?.[0];
    if (file) data.append('file', file, file.name);
    xhr.send(data);
  });
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
    if (!form.querySelector<HTMLInputElement>('input[type="file"]')?.files?.length) {
      errors.textContent = 'Choose a video file to upload.';
      return;
    }
    button.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    let announced = 0;
    status.textContent = 'Uploading… 0 %';
    void uploadWithProgress(form, (fraction) => {
      if (fraction >= 1) {
        progress.removeAttribute('value');
        status.textContent = 'Checking the file…';
        return;
      }
      const percent = Math.floor(fraction * 100);
      progress.value = percent;
      if (percent - announced >= 10) {
        announced = percent;
        status.textContent = `Uploading… ${percent} %`;
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
