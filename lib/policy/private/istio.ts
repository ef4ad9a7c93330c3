// Istio custom resources, which this library (and most users) write as kubernetes_manifest.
import { IPolicyContext } from '../types';
import { derive } from './context';
import { kindOf, manifestOf } from './k8s';
import { Json, UNKNOWN, Unknown, block, isObject, text } from './values';

/** An Istio resource (security.istio.io, networking.istio.io, ...). */
export interface IstioObject {
  readonly kind: string;
  readonly name: string | undefined | Unknown;
  readonly namespace: string | Unknown;
  readonly spec: Json;
  /** True when the object has no `spec` at all (cdktf drops an empty `spec: {}` in some paths). */
  readonly specMissing: boolean;
}

/** Istio's root namespaces: the add-on's and upstream's. Policies there without a selector apply mesh-wide. */
export const ROOT_NAMESPACES = ['aks-istio-system', 'istio-system'];

export function istioObjectOf(type: string, config: Json): IstioObject | undefined {
  const manifest = manifestOf({ type, config });
  const k = kindOf(manifest);
  if (!manifest || !k || !k.group.endsWith('istio.io')) return undefined;
  const metadata = block(manifest, 'metadata');
  const ns = text(metadata, 'namespace');
  return {
    kind: k.kind,
    name: text(metadata, 'name'),
    namespace: ns === UNKNOWN ? UNKNOWN : ns === undefined || ns === '' ? 'default' : ns,
    spec: isObject(manifest.spec) ? manifest.spec : {},
    specMissing: !isObject(manifest.spec),
  };
}

/** Every Istio resource of a kind in the app. */
export function istioObjects(context: IPolicyContext, kind: string): IstioObject[] {
  const byKind = derive(context, 'istio:objects', (ctx) => {
    const out = new Map<string, IstioObject[]>();
    for (const r of ctx.resourcesOfType('kubernetes_manifest')) {
      const obj = istioObjectOf(r.type, r.config);
      if (!obj) continue;
      const list = out.get(obj.kind);
      if (list) list.push(obj);
      else out.set(obj.kind, [obj]);
    }
    return out;
  });
  return byKind.get(kind) ?? [];
}

/** True when a policy targets specific workloads (a selector or target references) instead of its whole namespace. */
export function targetsWorkloads(spec: Json): boolean {
  return spec.selector !== undefined && spec.selector !== null
    || spec.targetRef !== undefined && spec.targetRef !== null
    || Array.isArray(spec.targetRefs) && spec.targetRefs.length > 0;
}

/**
 * An allow-nothing AuthorizationPolicy: action ALLOW (the default) with no rules and no selector,
 * which denies every request to the namespace's workloads that no other ALLOW policy admits.
 */
export function isAllowNothing(obj: IstioObject): boolean {
  if (obj.kind !== 'AuthorizationPolicy') return false;
  const action = obj.spec.action;
  if (action !== undefined && action !== null && action !== 'ALLOW') return false;
  if (targetsWorkloads(obj.spec)) return false;
  const rules = obj.spec.rules;
  return rules === undefined || rules === null || (Array.isArray(rules) && rules.length === 0);
}

/** Namespaces that hold an allow-nothing policy (a root-namespace one covers the whole mesh). */
export function allowNothingNamespaces(context: IPolicyContext): Set<string> {
  return derive(context, 'istio:allow-nothing', (ctx) => {
    const out = new Set<string>();
    for (const ap of istioObjects(ctx, 'AuthorizationPolicy')) {
      if (isAllowNothing(ap) && typeof ap.namespace === 'string') out.add(ap.namespace);
    }
    return out;
  });
}

/** Namespaces that hold any Istio resource (a sign that their workloads are in the mesh). */
export function namespacesWithIstioResources(context: IPolicyContext): Set<string> {
  return derive(context, 'istio:namespaces', (ctx) => {
    const out = new Set<string>();
    for (const r of ctx.resourcesOfType('kubernetes_manifest')) {
      const obj = istioObjectOf(r.type, r.config);
      if (obj && typeof obj.namespace === 'string') out.add(obj.namespace);
    }
    return out;
  });
}

/** mTLS modes a PeerAuthentication sets, mesh-, namespace- or workload-wide and per port. */
export function peerAuthenticationModes(obj: IstioObject): Array<string | Unknown> {
  const modes: Array<string | Unknown> = [];
  const mode = text(block(obj.spec, 'mtls'), 'mode');
  if (mode !== undefined) modes.push(mode);
  const ports = obj.spec.portLevelMtls;
  if (isObject(ports)) {
    for (const setting of Object.values(ports)) {
      const m = text(setting, 'mode');
      if (m !== undefined) modes.push(m);
    }
  }
  return modes;
}
