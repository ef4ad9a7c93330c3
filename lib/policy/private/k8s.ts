// Kubernetes objects as the rules see them, whether written with the kubernetes provider's typed
// resources (snake_case blocks: kubernetes_deployment_v1, ...) or as a kubernetes_manifest (the
// API object itself, camelCase). Both are read into the same views.
import { IPolicyContext, PolicyResource } from '../types';
import { derive } from './context';
import { Json, UNKNOWN, Unknown, UnknownRead, block, blocks, flag, isObject, memoized, num, replayUnknowns, stringMap, strings, text, trackUnknowns, untracked } from './values';

/** Typed workload resources of the kubernetes provider, by the kind they create. */
const TYPED_WORKLOADS: { [type: string]: string } = {
  kubernetes_deployment: 'Deployment',
  kubernetes_deployment_v1: 'Deployment',
  kubernetes_stateful_set: 'StatefulSet',
  kubernetes_stateful_set_v1: 'StatefulSet',
  kubernetes_daemonset: 'DaemonSet',
  kubernetes_daemon_set_v1: 'DaemonSet',
  kubernetes_job: 'Job',
  kubernetes_job_v1: 'Job',
  kubernetes_cron_job: 'CronJob',
  kubernetes_cron_job_v1: 'CronJob',
  kubernetes_pod: 'Pod',
  kubernetes_pod_v1: 'Pod',
};
const MANIFEST_WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

/** Resource types that can hold a workload. */
export const WORKLOAD_TYPES = [...Object.keys(TYPED_WORKLOADS), 'kubernetes_manifest'];
export const NAMESPACE_TYPES = ['kubernetes_namespace', 'kubernetes_namespace_v1'];
export const SERVICE_TYPES = ['kubernetes_service', 'kubernetes_service_v1'];
const PDB_TYPES = ['kubernetes_pod_disruption_budget', 'kubernetes_pod_disruption_budget_v1'];
const HPA_TYPES = ['kubernetes_horizontal_pod_autoscaler', 'kubernetes_horizontal_pod_autoscaler_v1', 'kubernetes_horizontal_pod_autoscaler_v2', 'kubernetes_horizontal_pod_autoscaler_v2beta2'];

/** Kinds that live outside namespaces (a kubernetes_manifest of these has no namespace to judge). */
export const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
  'PriorityClass', 'IngressClass', 'RuntimeClass', 'APIService', 'CSIDriver', 'VolumeSnapshotClass',
]);

/** One container of a pod. Booleans are undefined when unset, UNKNOWN when an expression. */
export interface ContainerView {
  readonly name: string;
  readonly image: string | undefined | Unknown;
  readonly privileged: boolean | undefined | Unknown;
  readonly allowPrivilegeEscalation: boolean | undefined | Unknown;
  readonly readOnlyRootFilesystem: boolean | undefined | Unknown;
  readonly runAsNonRoot: boolean | undefined | Unknown;
  readonly runAsUser: number | undefined | Unknown;
  readonly seccompType: string | undefined | Unknown;
  readonly capabilitiesAdd: string[] | Unknown;
  readonly capabilitiesDrop: string[] | Unknown;
  readonly requests: { [key: string]: string } | Unknown;
  readonly limits: { [key: string]: string } | Unknown;
  readonly hasLivenessProbe: boolean;
  readonly hasReadinessProbe: boolean;
}

/** A pod template (or a pod). */
export interface PodView {
  readonly labels: { [key: string]: string } | Unknown;
  readonly annotations: { [key: string]: string } | Unknown;
  readonly hostNetwork: boolean | undefined | Unknown;
  readonly hostPID: boolean | undefined | Unknown;
  readonly hostIPC: boolean | undefined | Unknown;
  readonly automountServiceAccountToken: boolean | undefined | Unknown;
  readonly runAsNonRoot: boolean | undefined | Unknown;
  readonly runAsUser: number | undefined | Unknown;
  readonly seccompType: string | undefined | Unknown;
  readonly containers: ContainerView[];
  readonly initContainers: ContainerView[];
}

/** A workload: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob or Pod. */
export interface WorkloadView {
  readonly kind: string;
  readonly name: string | undefined | Unknown;
  readonly namespace: string | Unknown;
  /** Replicas as written; undefined when unset (Kubernetes then runs 1). */
  readonly replicas: number | undefined | Unknown;
  readonly pod: PodView;
}

/** Field names of the typed resources where they are not the snake_case of the API's name. */
const TYPED_NAMES: { [camel: string]: string } = {
  hostPID: 'host_pid',
  hostIPC: 'host_ipc',
  containers: 'container',
  initContainers: 'init_container',
  matchLabels: 'match_labels',
  jobTemplate: 'job_template',
};

/** Reads API field names from either form. */
class Reader {
  constructor(private readonly typed: boolean) {}
  public key(camel: string): string {
    if (!this.typed) return camel;
    return TYPED_NAMES[camel] ?? camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  }
  public block(parent: unknown, camel: string): Json | undefined { return block(parent, this.key(camel)); }
  public blocks(parent: unknown, camel: string): Json[] { return blocks(parent, this.key(camel)); }
  public flag(parent: unknown, camel: string) { return flag(parent, this.key(camel)); }
  public num(parent: unknown, camel: string) { return num(parent, this.key(camel)); }
  public text(parent: unknown, camel: string) { return text(parent, this.key(camel)); }
  public strings(parent: unknown, camel: string) { return strings(parent, this.key(camel)); }
  public map(parent: unknown, camel: string) { return stringMap(parent, this.key(camel)); }
}

/** The Kubernetes object of a kubernetes_manifest, when it is one. */
export function manifestOf(resource: PolicyResource | { type: string; config: Json }): Json | undefined {
  if (resource.type !== 'kubernetes_manifest') return undefined;
  const manifest = resource.config.manifest;
  return isObject(manifest) ? manifest : undefined;
}

/** apiVersion group (`security.istio.io`) and kind of a manifest. */
export function kindOf(manifest: Json | undefined): { group: string; kind: string } | undefined {
  if (!manifest || typeof manifest.kind !== 'string') return undefined;
  const apiVersion = typeof manifest.apiVersion === 'string' ? manifest.apiVersion : '';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  return { group, kind: manifest.kind };
}

/** Namespace of an object's metadata; Kubernetes puts an object without one in `default`. */
function namespaceOf(metadata: Json | undefined): string | Unknown {
  const ns = text(metadata, 'namespace');
  if (ns === UNKNOWN) return UNKNOWN;
  return ns === undefined || ns === '' ? 'default' : ns;
}

/** The workload a resource creates, or undefined when it creates none. */
export function workloadOf(type: string, config: Json): WorkloadView | undefined {
  // Every workload rule reads the same view: built once per resource configuration.
  let byType = WORKLOAD_VIEWS.get(type);
  if (!byType) {
    byType = new WeakMap();
    WORKLOAD_VIEWS.set(type, byType);
  }
  return memoized(byType, config, () => buildWorkloadView(type, config));
}

const WORKLOAD_VIEWS = new Map<string, WeakMap<Json, { value: WorkloadView | undefined; reads: UnknownRead[] }>>();

function buildWorkloadView(type: string, config: Json): WorkloadView | undefined {
  let kind: string | undefined;
  let root: Json;
  let typed: boolean;
  if (type === 'kubernetes_manifest') {
    const manifest = manifestOf({ type, config });
    const k = kindOf(manifest);
    if (!manifest || !k || !MANIFEST_WORKLOAD_KINDS.has(k.kind)) return undefined;
    kind = k.kind;
    root = manifest;
    typed = false;
  } else {
    kind = TYPED_WORKLOADS[type];
    if (!kind) return undefined;
    root = config;
    typed = true;
  }
  const r = new Reader(typed);
  const metadata = r.block(root, 'metadata');
  const spec = r.block(root, 'spec');
  let podMeta: Json | undefined;
  let podSpec: Json | undefined;
  if (kind === 'Pod') {
    podMeta = metadata;
    podSpec = spec;
  } else {
    const jobSpec = kind === 'CronJob' ? r.block(r.block(spec, 'jobTemplate'), 'spec') : spec;
    const template = r.block(jobSpec, 'template');
    podMeta = r.block(template, 'metadata');
    podSpec = r.block(template, 'spec');
  }
  const podSecurity = r.block(podSpec, 'securityContext');
  return lazyView<WorkloadView>({
    kind: () => kind,
    name: () => r.text(metadata, 'name'),
    namespace: () => namespaceOf(metadata),
    replicas: () => (kind === 'Deployment' || kind === 'StatefulSet' || kind === 'ReplicaSet' ? r.num(spec, 'replicas') : undefined),
    pod: () => lazyView<PodView>({
      labels: () => r.map(podMeta, 'labels'),
      annotations: () => r.map(podMeta, 'annotations'),
      hostNetwork: () => r.flag(podSpec, 'hostNetwork'),
      hostPID: () => r.flag(podSpec, 'hostPID'),
      hostIPC: () => r.flag(podSpec, 'hostIPC'),
      automountServiceAccountToken: () => r.flag(podSpec, 'automountServiceAccountToken'),
      runAsNonRoot: () => r.flag(podSecurity, 'runAsNonRoot'),
      runAsUser: () => r.num(podSecurity, 'runAsUser'),
      seccompType: () => r.text(r.block(podSecurity, 'seccompProfile'), 'type'),
      containers: () => r.blocks(podSpec, 'containers').map((c) => containerOf(r, c)),
      initContainers: () => r.blocks(podSpec, 'initContainers').map((c) => containerOf(r, c)),
    }),
  });
}

/**
 * A view whose fields are read now, but whose unknown attributes are recorded (for "cannot verify")
 * only when a rule reads the field: a view shared by several rules names, for each rule, what it used.
 */
function lazyView<T extends object>(fields: { [K in keyof T]: () => T[K] }): T {
  const view = {} as T;
  for (const key of Object.keys(fields) as Array<keyof T>) {
    const { result, reads } = untracked(() => trackUnknowns(fields[key]));
    if (reads.length === 0) {
      view[key] = result;
    } else {
      Object.defineProperty(view, key, { enumerable: true, get: () => replayUnknowns(reads, result) });
    }
  }
  return view;
}

function containerOf(r: Reader, c: Json): ContainerView {
  const security = r.block(c, 'securityContext');
  const capabilities = r.block(security, 'capabilities');
  const resources = r.block(c, 'resources');
  const name = r.text(c, 'name');
  return lazyView<ContainerView>({
    name: () => (typeof name === 'string' ? name : '(unnamed)'),
    image: () => r.text(c, 'image'),
    privileged: () => r.flag(security, 'privileged'),
    allowPrivilegeEscalation: () => r.flag(security, 'allowPrivilegeEscalation'),
    readOnlyRootFilesystem: () => r.flag(security, 'readOnlyRootFilesystem'),
    runAsNonRoot: () => r.flag(security, 'runAsNonRoot'),
    runAsUser: () => r.num(security, 'runAsUser'),
    seccompType: () => r.text(r.block(security, 'seccompProfile'), 'type'),
    capabilitiesAdd: () => r.strings(capabilities, 'add'),
    capabilitiesDrop: () => r.strings(capabilities, 'drop'),
    requests: () => r.map(resources, 'requests'),
    limits: () => r.map(resources, 'limits'),
    hasLivenessProbe: () => r.block(c, 'livenessProbe') !== undefined,
    hasReadinessProbe: () => r.block(c, 'readinessProbe') !== undefined,
  });
}

/** All containers of a pod, init containers included. */
export function allContainers(pod: PodView): ContainerView[] {
  return [...pod.containers, ...pod.initContainers];
}

/** A namespace declared in the app, with its labels. */
export interface NamespaceView {
  readonly name: string;
  readonly labels: { [key: string]: string } | Unknown;
}

/** The namespace a resource creates (typed resource or manifest of kind Namespace). */
export function namespaceResourceOf(type: string, config: Json): NamespaceView | undefined {
  let metadata: Json | undefined;
  if (NAMESPACE_TYPES.includes(type)) {
    metadata = block(config, 'metadata');
  } else {
    const manifest = manifestOf({ type, config });
    if (kindOf(manifest)?.kind !== 'Namespace') return undefined;
    metadata = block(manifest, 'metadata');
  }
  const name = text(metadata, 'name');
  if (typeof name !== 'string') return undefined;
  return { name, labels: stringMap(metadata, 'labels') };
}

/** Namespaces declared in the app, by name. */
export function declaredNamespaces(context: IPolicyContext): Map<string, NamespaceView> {
  return derive(context, 'k8s:namespaces', (ctx) => {
    const out = new Map<string, NamespaceView>();
    for (const type of [...NAMESPACE_TYPES, 'kubernetes_manifest']) {
      for (const r of ctx.resourcesOfType(type)) {
        const ns = namespaceResourceOf(r.type, r.config);
        if (ns) out.set(ns.name, ns);
      }
    }
    return out;
  });
}

/** A Service: its namespace, type and annotations. */
export interface ServiceView {
  readonly name: string | undefined | Unknown;
  readonly namespace: string | Unknown;
  readonly serviceType: string | undefined | Unknown;
  readonly annotations: { [key: string]: string } | Unknown;
}

export function serviceOf(type: string, config: Json): ServiceView | undefined {
  if (SERVICE_TYPES.includes(type)) {
    const metadata = block(config, 'metadata');
    return { name: text(metadata, 'name'), namespace: namespaceOf(metadata), serviceType: text(block(config, 'spec'), 'type'), annotations: stringMap(metadata, 'annotations') };
  }
  const manifest = manifestOf({ type, config });
  if (kindOf(manifest)?.kind !== 'Service') return undefined;
  const metadata = block(manifest, 'metadata');
  return { name: text(metadata, 'name'), namespace: namespaceOf(metadata), serviceType: text(block(manifest, 'spec'), 'type'), annotations: stringMap(metadata, 'annotations') };
}

/** PodDisruptionBudgets of the app: namespace and label selector. */
export function disruptionBudgets(context: IPolicyContext): Array<{ namespace: string | Unknown; matchLabels: { [key: string]: string } | Unknown }> {
  return derive(context, 'k8s:pdbs', (ctx) => {
    const out: Array<{ namespace: string | Unknown; matchLabels: { [key: string]: string } | Unknown }> = [];
    for (const r of PDB_TYPES.flatMap((t) => ctx.resourcesOfType(t))) {
      out.push({ namespace: namespaceOf(block(r.config, 'metadata')), matchLabels: stringMap(block(block(r.config, 'spec'), 'selector'), 'match_labels') });
    }
    for (const r of ctx.resourcesOfType('kubernetes_manifest')) {
      const manifest = manifestOf(r);
      if (kindOf(manifest)?.kind !== 'PodDisruptionBudget') continue;
      out.push({ namespace: namespaceOf(block(manifest, 'metadata')), matchLabels: stringMap(block(block(manifest, 'spec'), 'selector'), 'matchLabels') });
    }
    return out;
  });
}

/** Minimum replicas set by HorizontalPodAutoscalers, by `namespace/Kind/name` of their target. */
export function autoscalerMinimums(context: IPolicyContext): Map<string, number | Unknown> {
  return derive(context, 'k8s:hpas', (ctx) => {
    const out = new Map<string, number | Unknown>();
    const add = (ns: string | Unknown, kind: unknown, name: unknown, min: number | undefined | Unknown) => {
      if (typeof ns !== 'string' || typeof kind !== 'string' || typeof name !== 'string') return;
      out.set(`${ns}/${kind}/${name}`, min === undefined ? 1 : min);
    };
    for (const r of HPA_TYPES.flatMap((t) => ctx.resourcesOfType(t))) {
      const spec = block(r.config, 'spec');
      const target = block(spec, 'scale_target_ref');
      add(namespaceOf(block(r.config, 'metadata')), text(target, 'kind'), text(target, 'name'), num(spec, 'min_replicas'));
    }
    for (const r of ctx.resourcesOfType('kubernetes_manifest')) {
      const manifest = manifestOf(r);
      if (kindOf(manifest)?.kind !== 'HorizontalPodAutoscaler') continue;
      const spec = block(manifest, 'spec');
      const target = block(spec, 'scaleTargetRef');
      add(namespaceOf(block(manifest, 'metadata')), text(target, 'kind'), text(target, 'name'), num(spec, 'minReplicas'));
    }
    return out;
  });
}

/** True when every label of `selector` is on `labels` (an empty selector matches nothing here). */
export function selectorMatches(selector: { [key: string]: string }, labels: { [key: string]: string }): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

/** Namespaces the pack treats as platform-owned: workload rules about tenancy do not apply there. */
export const SYSTEM_NAMESPACES = new Set([
  'kube-system', 'kube-public', 'kube-node-lease', 'gatekeeper-system', 'calico-system', 'tigera-operator',
  'istio-system', 'aks-istio-system', 'istio-ingress', 'aks-istio-ingress', 'aks-istio-egress',
]);

/** Labels that put a namespace's pods in the mesh (upstream injection label or a revision label). */
export function hasInjectionLabel(labels: { [key: string]: string } | Unknown): boolean {
  if (labels === UNKNOWN) return false;
  return labels['istio-injection'] === 'enabled' || typeof labels['istio.io/rev'] === 'string';
}
