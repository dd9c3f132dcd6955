import {
  type Application,
  type Environ,
  jsonResponse,
  type ResponseBody,
  type StartResponse,
} from '@tsgi/spec';

/** The full decoded path of the request, for messages. */
export function fullPath(environ: Environ): string {
  return environ.SCRIPT_NAME + environ.PATH_INFO;
}

/** The default `notFound`: 404 with `{"error": "no route matches GET /x"}`. */
export const defaultNotFound: Application = (environ, startResponse) =>
  jsonResponse(startResponse, 404, {
    error: `no route matches ${environ.REQUEST_METHOD} ${fullPath(environ)}`,
  });

/** 405 with an `Allow` header and a JSON body naming the allowed methods. */
export function methodNotAllowed(
  environ: Environ,
  startResponse: StartResponse,
  allow: string[],
): ResponseBody {
  return jsonResponse(
    startResponse,
    405,
    { error: `method ${environ.REQUEST_METHOD} is not allowed for ${fullPath(environ)}`, allow },
    [['Allow', allow.join(', ')]],
  );
}

/** The automatic answer to `OPTIONS`: 204 with `Allow`, no body. */
export function optionsResponse(startResponse: StartResponse, allow: string[]): ResponseBody {
  startResponse('204 No Content', [['Allow', allow.join(', ')]]);
  return [];
}

/** 308 Permanent Redirect to `location`, with a short JSON body saying where. */
export function redirectResponse(startResponse: StartResponse, location: string): ResponseBody {
  return jsonResponse(startResponse, 308, { redirect: location }, [['Location', location]]);
}
