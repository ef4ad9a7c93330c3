import { IApiBackend } from '../core/contracts';

/** Backends that are not constructs of this library. */
export class ApiBackend {
  /**
   * Any HTTPS backend by URL, e.g. `https://orders.mesh.internal/api`.
   * @param url base URL (`https://host[:port][/path]`)
   * @param hostName Host header, SNI and certificate name to use; defaults to the URL's host.
   *   API Management sends the URL's host as SNI, so keep the two equal unless the backend
   *   only routes on the Host header.
   */
  public static fromUrl(url: string, hostName?: string): IApiBackend {
    let host = hostName;
    if (host === undefined) {
      try {
        host = new URL(url).hostname;
      } catch {
        // Left for the consumer's validation, which names the construct and prop.
        host = '';
      }
    }
    return { backendUrl: url, backendHostName: host };
  }

  private constructor() {}
}
