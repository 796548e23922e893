// The JSON API under /v1, called with the signed-in API key. Errors carry the API's body (code, field details).

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body ?? {};
  }

  /** Field -> problems, from a 400 VALIDATION_FAILED. */
  get fields() {
    return Object.fromEntries((this.body.details ?? []).map((d) => [d.field, d.problems.join('; ')]));
  }
}

export function createApi(key) {
  const call = async (method, path, body, signal) => {
    const res = await fetch(`/v1${path}`, {
      method,
      signal,
      headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status === 204) return null;
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new ApiError(res.status, json);
    return json;
  };
  return {
    get: (path) => call('GET', path),
    /** `signal` (an AbortSignal) cancels the request: a newer one replaces it, or it took too long. */
    post: (path, body = {}, signal) => call('POST', path, body, signal),
    patch: (path, body) => call('PATCH', path, body),
    put: (path, body) => call('PUT', path, body),
    /** A file upload with progress (fetch has none): resolves with the JSON answer. */
    upload(path, file, contentType, onProgress) {
      return new Promise((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `/v1${path}`);
        xhr.setRequestHeader('x-api-key', key);
        xhr.setRequestHeader('content-type', contentType);
        xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
        xhr.onload = () => {
          const json = JSON.parse(xhr.responseText || 'null');
          if (xhr.status < 300) resolve(json);
          else reject(new ApiError(xhr.status, json));
        };
        xhr.onerror = () => reject(new ApiError(0, { message: 'network error' }));
        xhr.send(file);
      });
    },
  };
}
