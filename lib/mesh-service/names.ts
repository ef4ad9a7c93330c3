// Kubernetes name rules shared by the mesh-service constructs (not part of the public API).

/** A DNS-1123 label: namespaces, version labels, most object names. */
export const DNS_1123_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_1123_LABEL_TEXT = 'a DNS-1123 label: at most 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit';

/** A DNS-1035 label: what Kubernetes accepts as a Service name (it must start with a letter). */
export const DNS_1035_LABEL = /^(?=.{1,63}$)[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_1035_LABEL_TEXT = 'a DNS-1035 label (a Kubernetes Service name): at most 63 lower-case letters, digits and hyphens, starting with a letter and ending with a letter or digit';

/** `ServiceA` -> `service-a`: a construct id turned into a Kubernetes-style name. */
export function kebab(id: string): string {
  return id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** Any text turned into something that fits a DNS-1123 subdomain, for generated object names. */
export function sanitize(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'peer';
}
