// Hand-written types for law-record-checklist.js. Checked by `cargo xtask test`: every export
// of the module is declared here.

/** Time as Beijing civil time, `YYYY-MM-DDTHH:MM` (an offset such as `+08:00` is accepted). */
export type CivilTime = string;

export interface Signature {
  role: string;
  name?: string;
  date?: CivilTime;
  every_page?: boolean;
  refused?: boolean;
}

export interface Media {
  name: string;
  size?: number;
  sha256?: string;
  recorded_from?: CivilTime;
  recorded_to?: CivilTime;
  stored_at?: CivilTime;
}

export interface CaseRecord {
  id: string;
  kind: string;
  made_at?: CivilTime;
  pages?: number;
  elements?: string[];
  signatures?: Signature[];
  media?: Media[];
  flags?: string[];
}

export interface Activity {
  id: string;
  kind: string;
  start?: CivilTime;
  end?: CivilTime;
  place?: string;
  flags?: string[];
  returned_at?: CivilTime;
  records?: CaseRecord[];
}

export interface Service {
  id: string;
  document: string;
  method: 'direct' | 'postal' | 'left' | 'entrusted' | 'public-notice';
  at?: CivilTime;
  flags?: string[];
  records?: CaseRecord[];
}

export interface Acknowledgment {
  /** `rule_id@target` */
  item: string;
  at: CivilTime;
  by?: string;
  note?: string;
}

/** The engine's case contract (rules-core `Case`). */
export interface Case {
  id: string;
  /** Pack id, e.g. `changsha-zfj`. */
  agency?: string;
  procedure: 'ordinary' | 'simple' | 'inspection' | string;
  flags?: string[];
  facts?: Record<string, CivilTime>;
  records?: CaseRecord[];
  activities?: Activity[];
  services?: Service[];
  excluded_periods?: { kind: string; from: CivilTime; to: CivilTime }[];
  acknowledgments?: Acknowledgment[];
}

export type Status =
  | 'satisfied' | 'missing' | 'incomplete' | 'overdue' | 'due-by'
  | 'not-applicable' | 'waived' | 'out-of-order';
export type Strength = 'must' | 'conditional' | 'may';
export type Severity = 'blocking' | 'warning' | 'info';

export interface Item {
  key: string;
  rule: string;
  target: string;
  title: string;
  status: Status;
  strength: Strength;
  severity: Severity;
  /** As the engine words it, e.g. `2026-03-05 24:00`. */
  due?: string;
  /** The same moment as a time. */
  due_at?: string;
  satisfied_by: string[];
  missing: string[];
  citation: { article: string; quote: string };
  detail: string;
}

/** The engine's report (rules-core `Report`). */
export interface Report {
  pack: { id: string; version: string; agency: string };
  case_id: string;
  now: CivilTime;
  steps: { id: string; name: string; items: Item[] }[];
  findings: { key: string; severity: Severity; status: Status; message: string; citation: { article: string; quote: string } }[];
  gate: { allowed: boolean; blocking: string[]; warnings: string[] };
  notes: string[];
}

export interface Failure {
  type: 'failure';
  error: { code: string; message: string };
}
export type ReportResult = { type: 'success'; report: Report } | Failure;

export interface PackInfo {
  id: string;
  agency: string;
  steps: { id: string; name: string }[];
}

/** An agency's settings over a pack (rules-core `Config`). */
export interface AgencyConfig {
  rules?: Record<string, { severity?: Severity; disabled?: boolean; reason: string }>;
}

export interface MountOptions {
  case?: Case;
  /** Rule pack id, e.g. `changsha-zfj`; default: the case's `agency`. */
  agency?: string;
  /** Overrides the case's procedure. */
  procedure?: string;
  /** Officer name, stored with acknowledgments and reasons. */
  officer?: string;
  /** The agency's settings over the pack. */
  config?: AgencyConfig;
  /** Fixed clock (tests, demos); default: the real clock in Beijing time. */
  now?: CivilTime;
  /** localStorage key prefix; default `law-record-checklist:v1:`. */
  storagePrefix?: string;
}

export interface EvaluateOptions {
  agency?: string;
  config?: AgencyConfig;
  procedure?: string;
  now?: CivilTime;
}

export interface OfficerRecords {
  acks: { item: string; at: CivilTime; by?: string }[];
  reasons: { items: string[]; reason: string; at: CivilTime; by?: string }[];
}

/** A mounted widget. */
export interface Widget {
  setCase(caseData: Case | string): ReportResult;
  setAgency(agency: string | null): ReportResult;
  setProcedure(procedure: string | null): ReportResult;
  setOfficer(officer: string | null): void;
  /** The agency's settings over the pack; `null` for the pack as written. */
  setConfig(config: AgencyConfig | null): ReportResult;
  setNow(now: CivilTime | null): ReportResult;
  report(): ReportResult;
  /** Acknowledgments and warning reasons kept for the current case. */
  records(): OfficerRecords;
  /** Throws a TypeError when `target` is not an element. */
  guardSubmit(target: HTMLFormElement | HTMLElement): void;
  unmount(): void;
}

/** The synchronous API, available once the wasm is loaded. */
export interface LoadedApi {
  mount(element: HTMLElement, options?: MountOptions): Widget;
  evaluate(caseData: Case | string, options?: EvaluateOptions): ReportResult;
  packs(): { type: 'success'; packs: PackInfo[]; errors: string[] };
  version(): string;
}

export function load(input?: string | URL | Response | BufferSource): Promise<LoadedApi>;
export function mount(element: HTMLElement, options?: MountOptions): Promise<Widget>;
export function evaluate(caseData: Case | string, options?: EvaluateOptions): Promise<ReportResult>;
export function packs(): Promise<{ type: 'success'; packs: PackInfo[]; errors: string[] }>;
export function defineElement(name?: string): void;

export type ReportChangeEvent = CustomEvent<ReportResult>;
export type SubmitBlockedEvent = CustomEvent<{
  blocking: { key: string; title: string; citation: { article: string; quote: string } }[];
  report: Report;
}>;
export type SubmitAllowedEvent = CustomEvent<{
  /** false when the widget had no report (broken case): the submit went through unchecked. */
  checked: boolean;
  warnings: string[];
  reason: string | null;
}>;

/** `<law-record-checklist agency procedure officer now>` */
export interface LawRecordChecklistElement extends HTMLElement {
  case: Case | undefined;
  readonly report: ReportResult | null;
  readonly widget: Widget | null;
  readonly ready: Promise<Widget>;
  guardSubmit(target: HTMLFormElement | HTMLElement): void;
  addEventListener(type: 'report-change', listener: (e: ReportChangeEvent) => void): void;
  addEventListener(type: 'submit-blocked', listener: (e: SubmitBlockedEvent) => void): void;
  addEventListener(type: 'submit-allowed', listener: (e: SubmitAllowedEvent) => void): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'law-record-checklist': LawRecordChecklistElement;
  }
}
