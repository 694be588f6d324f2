/** One field error from a 400's `details`, e.g. `{ field: 'body.email', message }`. */
interface FieldDetail {
  field: string;
  message: string;
}

/** An API error answer: `{ error, code, details? }` with its HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** Field messages keyed by path without the `body.`/`querystring.` part: `email`, `businessHours.monday.close`. */
  get fieldErrors(): Record<string, string> {
    if (!Array.isArray(this.details)) return {};
    const out: Record<string, string> = {};
    for (const d of this.details as FieldDetail[]) {
      if (typeof d?.field !== 'string') continue;
      const key = d.field.split('.').slice(1).join('.');
      out[key] ??= d.message;
    }
    return out;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** JSON over fetch with the session cookie; a non-2xx answer throws ApiError. */
export async function api<T>(path: string, options: { method?: Method; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const { method = 'GET', body, signal } = options;
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.');
  }
  const data: unknown = res.headers.get('content-type')?.includes('application/json') ? await res.json() : undefined;
  if (!res.ok) {
    const e = (data ?? {}) as { error?: string; code?: string; details?: unknown };
    throw new ApiError(res.status, e.code ?? 'HTTP_ERROR', e.error ?? `Request failed (${res.status})`, e.details);
  }
  return data as T;
}

/** The message to show a person for any thrown value. */
export const messageOf = (err: unknown) =>
  err instanceof Error ? err.message : 'Something went wrong. Please try again.';

/** Field messages of a failed request (a 400's details), or none. */
export const fieldErrorsOf = (err: unknown): Record<string, string> => (err instanceof ApiError ? err.fieldErrors : {});

/**
 * A multipart upload over XMLHttpRequest, the one browser API that reports upload
 * progress: `onProgress` gets 0…1 as the body leaves. Errors are ApiErrors, as with `api`.
 */
export function upload<T>(path: string, form: FormData, onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      let data: unknown;
      try {
        data = xhr.getResponseHeader('content-type')?.includes('application/json') ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data as T);
      const e = (data ?? {}) as { error?: string; code?: string; details?: unknown };
      reject(new ApiError(xhr.status, e.code ?? 'HTTP_ERROR', e.error ?? `Upload failed (${xhr.status})`, e.details));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'The upload was interrupted. Check your connection and try again.'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
