import { type Application, jsonResponse } from '@tsgi/spec';

/** The tutorial's 404: `{"error": "路径 /x 不存在"}` ("path /x does not exist"). */
export const notFoundView: Application = (environ, startResponse) =>
  jsonResponse(startResponse, 404, {
    error: `路径 ${environ.SCRIPT_NAME}${environ.PATH_INFO} 不存在`,
  });
