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
  /** SM3 (GB/T 32905), lowercase hex. */
  sm3?: string;
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
  /** What the paper record is and where it is kept. An acknowledgment counts only with a note
   *  of at least `min_note_chars` characters, and only for a record the case lacks. */
  note?: string;
}

/** The engine's case contract (rules-core `Case`). */
export interface Case {
  id: string;
  /** Pack id, e.g. `changsha-zfj`. */
  agency?: string;
  procedure: 'ordinary' | 'simple' | 'inspection' | string;
  /** The department handling the case, as the agency config names it. */
  department?: string;
  flags?: string[];
  facts?: Record<string, CivilTime>;
  records?: CaseRecord[];
  activities?: Activity[];
  services?: Service[];
  /** A date alone is a whole day, both ends included (`to` 2026-03-29 covers the 29th). */
  excluded_periods?: { kind: string; from: CivilTime; to: CivilTime }[];
  acknowledgments?: Acknowledgment[];
}

/** `acknowledged`: the platform holds no record and an officer confirmed it on paper, with a
 *  note (人工确认) — shown apart from `satisfied` everywhere. */
export type Status =
  | 'satisfied' | 'acknowledged' | 'missing' | 'incomplete' | 'overdue' | 'due-by'
  | 'not-applicable' | 'waived' | 'out-of-order';
export type Strength = 'must' | 'conditional' | 'may';
export type Severity = 'blocking' | 'warning' | 'info';

export interface Item {
  key: string;
  /** Rule id: its title and citation are `report.rules[rule]`. */
  rule: string;
  target: string;
  status: Status;
  strength: Strength;
  severity: Severity;
  /** As the engine words it, e.g. `2026-03-05 24:00`. */
  due?: string;
  /** The same moment as a time. */
  due_at?: string;
  satisfied_by: string[];
  missing: string[];
  detail: string;
  /** The config's reason when the agency config switched the rule off or lowered a must rule. */
  waived_by_config?: string;
}

/** A rule's title and citation, given once per report for all its items. */
export interface RuleInfo {
  /** What the rule's items ask for. */
  title: string;
  /** The article as the text numbers it, and the verbatim quote. */
  citation: { article: string; quote: string };
}

/** The engine's report (rules-core `Report`). */
export interface Report {
  /**
   * The pack checked with. `title`: the regulation's title, as citations name it
   * (《title》第二十九条). `digest` is present only for a pack that is not the built-in one of
   * its id (read at run time with other rules or text): SHA-256 of its files, as
   * `sha256sum pack.toml source.txt | sha256sum` prints it in the pack's folder.
   */
  pack: { id: string; version: string; agency: string; title: string; effective?: string; digest?: string };
  /** The agency config applied: its fingerprint and how many overrides applied to the case. */
  config: { fingerprint: string; overrides: number };
  case_id: string;
  now: CivilTime;
  steps: { id: string; name: string; items: Item[] }[];
  /** Every rule an item or finding refers to, by rule id: `report.rules[item.rule].citation`. */
  rules: Record<string, RuleInfo>;
  /** `rule` is absent only for a finding no rule raised (an unknown procedure). */
  findings: { key: string; rule?: string; severity: Severity; status: Status; message: string }[];
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
  version: string;
  effective?: string;
  steps: { id: string; name: string }[];
}

/** One rule's override. A must rule (应当/必须) can be lowered to `warning` at most. */
export interface RuleOverride {
  severity?: Severity;
  /** Switch the rule off (not allowed for must rules). */
  disabled?: boolean;
  /** Required: read in 案卷评查. */
  reason: string;
  /** Who decided, as the platform names the administrator. */
  by?: string;
  at?: CivilTime;
}

/** One entry of the config's change log. */
export interface ConfigChange {
  at: CivilTime;
  by: string;
  /** `agency`, `procedure:<id>` or `department:<name>`. */
  scope: string;
  rule: string;
  before?: RuleOverride;
  after?: RuleOverride;
  reason: string;
  /** For an undo: the index of the change it reverted. */
  undoes?: number;
}

/**
 * An agency's settings over a pack (rules-core `Config`; JSON Schema in
 * `rules-core/schema/config.schema.json`). `{rules: {...}}` alone is a valid config.
 */
export interface AgencyConfig {
  agency?: string;
  /** Pack id the config is written for. */
  pack?: string;
  /** A fixed pack version; absent: the version in force on the day the case was opened. */
  pack_version?: string;
  /** Overrides for every case of the agency, by rule id. */
  rules?: Record<string, RuleOverride>;
  /** Per procedure id: overrides replacing the agency-wide ones. */
  procedures?: Record<string, Record<string, RuleOverride>>;
  /** Per department (the case's `department`): overrides replacing the others. */
  departments?: Record<string, Record<string, RuleOverride>>;
  options?: { steps?: string[] };
  /**
   * What the platform's submit does when the checklist cannot check the case (not loaded in
   * time, malformed case, unknown agency). Default `ask-reason`.
   */
  unchecked?: 'allow-notice' | 'ask-reason' | 'block';
  /** Seconds a submit waits for the checklist to load before `unchecked` applies (default 10). */
  load_timeout_seconds?: number;
  /** Characters of text an officer's note needs: an acknowledgment's, a submit reason (default 6). */
  min_note_chars?: number;
  /** Every change made in admin mode; not part of the fingerprint. */
  log?: ConfigChange[];
}

/** The config in effect, from `widget.config()`. */
export interface ConfigState {
  type: 'success';
  config: AgencyConfig;
  /** SHA-256 of the config's canonical JSON, 64 hex digits. */
  fingerprint: string;
  /** `local`: an administrator's edits not yet handed to the platform. */
  origin: 'pack-defaults' | 'host' | 'local';
  /** Why a given config was set aside (refused, unreadable, not fitting the pack). */
  notice: string | null;
}

export interface MountOptions {
  case?: Case;
  /** Rule pack id, e.g. `changsha-zfj`; default: the case's `agency`. */
  agency?: string;
  /** Overrides the case's procedure. */
  procedure?: string;
  /** Officer name, stored with acknowledgments and reasons. */
  officer?: string;
  /** The agency's settings over the pack (inline). */
  config?: AgencyConfig;
  /** Or: a URL of the config file under the page's own origin. */
  configUrl?: string;
  /** The fingerprint the platform approved: any other config is refused (pack defaults apply). */
  configFingerprint?: string;
  /** The user is the agency's administrator: show admin mode. Officers never see it. */
  admin?: boolean;
  /**
   * Read-only review (the platform's 法制审核 page): who acknowledged what, when and why, the
   * reasons given at submit, media digests with 「核验文件」, the log checked with its head.
   */
  review?: boolean;
  /** Fixed clock (tests, demos); default: the real clock in Beijing time. */
  now?: CivilTime;
  /** Storage key prefix (localStorage, and the case log's key); default `law-record-checklist:v1:`. */
  storagePrefix?: string;
  /**
   * Where the case log is kept. The loader passes its IndexedDB store (with a localStorage
   * fallback and migration of logs kept there before); `null` keeps the log in the page only.
   */
  logStore?: LogStore | null;
  /** On-device hashing of AV files (on by default); `false` turns it off. */
  hash?: HashOptions | false;
  /**
   * The checklist record the platform stored for the case: merged with this machine's copy
   * once the case's stored log is read (see `Widget.setChecklistRecord`).
   */
  checklistRecord?: ChecklistRecord | string;
}

/** A log entry (`rules schema log`): each carries the hash of the one before it. */
export interface LogEntry {
  seq: number;
  /** `YYYY-MM-DDTHH:MM:SS`, Beijing time. */
  at: string;
  event: { kind: string; payload: Record<string, unknown> };
  prev: string;
  hash: string;
}

/**
 * One case's checklist record (`rules schema record`, `rules-core/schema/record.schema.json`):
 * what the widget learns beyond the platform's data. The platform stores it with the case and
 * passes it back on open; `rules record check` / `rules log verify` check it.
 */
export interface ChecklistRecord {
  format: 'law-record-checklist/1';
  case_id: string;
  acknowledgments?: { item: string; at: string; by?: string; note?: string }[];
  reasons?: { items?: string[]; reason: string; at: string; by?: string }[];
  media?: {
    item: string;
    name: string;
    size?: number;
    sha256: string;
    sm3?: string;
    recorded_to?: string;
    stored_at?: string;
  }[];
  log: { head: { count: number; hash: string }; signature?: SignedHead; entries: LogEntry[] };
}

/**
 * The platform server's Ed25519 signature of a log head (its first `count` entries), kept and
 * passed on by the widget, printed on the 核查表, checked with `rules log verify --key`. What is
 * signed is described in pkg/README.md (Signed log heads).
 */
export interface SignedHead {
  count: number;
  hash: string;
  /** `YYYY-MM-DDTHH:MM:SS`, Beijing time. */
  signed_at: string;
  signer: string;
  /** The signer's public key, 64 lowercase hex digits (check with the platform's, not this). */
  key: string;
  /** 128 lowercase hex digits. */
  signature: string;
}

/** An item two people confirmed differently: the later is kept, both are in the log. */
export interface AckConflict {
  item: string;
  kept: { item: string; at: string; by: string | null; note: string | null };
  other: { item: string; at: string; by: string | null; note: string | null };
}

/** What became of a record given with `setChecklistRecord`. */
export type RecordResult =
  | { type: 'success'; state: 'merged'; conflicts: AckConflict[] }
  | { type: 'success'; state: 'pending' }
  | { type: 'failure'; error: { code: 'record-refused'; message: string } };

/**
 * Keeps a case log. `key` is `<storagePrefix><case id>#log`. `load` resolves to the stored
 * entries (JSON text of the entry array) and a zh-CN warning or null; `save` receives the whole
 * log (the exported JSON), must keep what it stored before, and resolves to null or to a zh-CN
 * warning shown in the widget. The widget saves only after `load` resolved.
 */
export interface LogStore {
  load(key: string): Promise<{ entries: string; warning: string | null }>;
  save(key: string, text: string): Promise<string | null>;
}

/** Options of on-device hashing. */
export interface HashOptions {
  /** Also compute SM3 (GB/T 32905) in the same read pass; both digests are recorded. */
  sm3?: boolean;
  /** Workers hashing in parallel; default `navigator.hardwareConcurrency`. */
  workers?: number;
  /** Bytes per read; default 4 MiB. */
  chunkSize?: number;
  /** A read that has not settled after this many ms is retried through `slice()`; default 15000. */
  stallMs?: number;
  /** Force (`true`) or forbid (`false`) the simd128 core; default: `WebAssembly.validate`. */
  simd?: boolean;
  /** The worker script's URL, when the module is served from elsewhere (workers must be same-origin). */
  workerUrl?: string | URL;
  /** Host file inputs whose chosen files are attached to an item (`rule@target`). */
  observe?: { input: string | HTMLInputElement; item: string }[];
  /** Where finished and interrupted fingerprints are kept, instead of IndexedDB (e.g. a browser
   *  extension's own storage). Every call resolves once the change is stored. */
  store?: MediaStore;
}

/** A store of fingerprint entries, keyed by `entry.id`, listed per case oldest first. */
export interface MediaStore {
  list(caseId: string): Promise<MediaEntry[]>;
  put(entry: MediaEntry): Promise<unknown>;
  remove(id: string): Promise<unknown>;
}

/** A file fingerprinted on this machine, as kept in IndexedDB per case. */
export interface MediaEntry {
  id: string;
  caseId: string;
  /** The checklist item, `rule@target`. */
  item: string;
  name: string;
  size: number;
  /** File's last-modified time, ms since 1970 (and `modifiedAt`, RFC 3339). */
  lastModified: number;
  modifiedAt: string;
  /** `check`: not a file of the case, a reviewer's check of a file against `sha256` as the case records it. */
  state: 'queued' | 'hashing' | 'done' | 'interrupted' | 'changed' | 'cancelled' | 'failed' | 'check';
  bytes: number;
  /** MiB/s and seconds left, while hashing. */
  rate?: number;
  eta?: number | null;
  sha256?: string;
  sm3?: string;
  /** RFC 3339: when the hash finished; the case's `stored_at` for this file. */
  hashedAt?: string;
  /** Why there is no hash. */
  message?: string;
  /** Set while this machine's store refused the entry (no IndexedDB, storage full): it will
   * not be listed after a reload. */
  unsaved?: boolean;
  /** `byob` or `slice` (after a stalled read, or without BYOB support). */
  reader?: string;
  verify?: {
    state: 'hashing' | 'match' | 'mismatch' | 'changed' | 'failed';
    name: string;
    size: number;
    sha256?: string | null;
    at?: string;
    message?: string;
  };
}

/** What a hash ended in. */
export type HashResult =
  | { state: 'done'; sha256: string; sm3: string | null; reader: string; fallbacks: number; bytes: number; seconds: number; simd: boolean }
  | { state: 'changed' | 'cancelled' | 'failed'; message?: string };

export interface HashProgress {
  bytes: number;
  size: number;
  percent: number;
  /** MiB/s */
  rate: number;
  /** seconds */
  eta: number | null;
  reader: string | null;
  simd: boolean;
}

export interface HashPool {
  hash(file: Blob, options?: { sm3?: boolean; onProgress?: (p: HashProgress) => void }): { done: Promise<HashResult>; cancel(): void };
  terminate(): void;
  readonly size: number;
}

/** The hashing connected to a mounted widget (`widget.hashing`). */
export interface Hashing {
  readonly ready: Promise<void>;
  attach(item: string, files: FileList | File[]): Promise<MediaEntry[]>;
  verify(entryId: string, file: File): Promise<NonNullable<MediaEntry['verify']> | { state: 'cancelled' }>;
  /** Checks a file against the SHA-256 the case records for a media item. */
  check(item: string, sha256: string, file: File): Promise<NonNullable<MediaEntry['verify']> | { state: 'cancelled' }>;
  cancel(entryId: string): void;
  remove(entryId: string): Promise<void>;
  entries(): MediaEntry[];
  stop(): void;
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
  /**
   * The agency's settings over the pack; `null` for the pack as written. A config that cannot
   * be read or does not match the pinned fingerprint is refused (`failure`, code
   * `config-refused`): the widget then checks with the pack's defaults and says so.
   */
  setConfig(config: AgencyConfig | string | null): ReportResult;
  /** Reads the config from a URL under the page's origin; resolves like `setConfig`. */
  loadConfig(url: string): Promise<ReportResult>;
  /** Pins the config fingerprint for configs set afterwards; `null` removes the pin. */
  setConfigPin(fingerprint: string | null): void;
  /** Shows or hides admin mode. */
  setAdmin(admin: boolean): void;
  /** Turns read-only review on or off (see `MountOptions.review`). */
  setReview(review: boolean): void;
  /** The config in effect and its fingerprint. */
  config(): ConfigState;
  setNow(now: CivilTime | null): ReportResult;
  report(): ReportResult;
  /** Acknowledgments and warning reasons kept for the current case. */
  records(): OfficerRecords;
  /** Throws a TypeError when `target` is not an element. */
  guardSubmit(target: HTMLFormElement | HTMLElement): void;
  /** Called by the hashing with every change of a case's files. */
  setMedia(caseId: string | null, entries: MediaEntry[]): void;
  /** The id of the case shown. */
  caseId(): string | undefined;
  /**
   * The current case's tamper-evident log as an exported file (JSON text: `{format, case_id,
   * head: {count, hash}, signature?, entries}`), verifiable with `rules log verify` (the platform's
   * signature, when the record came signed, with `--key`); `undefined` without a
   * case, and for the moment after a case is shown while its stored log is read.
   */
  exportLog(): string | undefined;
  /**
   * Logs with the case the submits the page's early guard (law-record-checklist.guard.js) let
   * through before the widget had loaded; the loader calls it with the guard's list.
   */
  logUncheckedSubmits(submits: { at: string; why: string; reason: string | null }[]): void;
  /**
   * The case's checklist record for the platform to store; `undefined` without a case or
   * while the stored log is read. `record-change` carries it whenever it changes.
   */
  checklistRecord(): ChecklistRecord | undefined;
  /**
   * Merges the record the platform stored with this machine's copy, nothing of either lost
   * (a merge entry in the log names both heads; an item confirmed differently keeps the later
   * confirmation and is listed in `conflicts`). A record of another case, of another version,
   * malformed, or whose log does not verify is refused with a zh-CN notice in the widget; the
   * local copy is kept. `pending` until the case and its stored log are there.
   */
  setChecklistRecord(record: ChecklistRecord | string): RecordResult;
  unmount(): void;
  /** On-device hashing, unless mounted with `hash: false`. */
  hashing?: Hashing;
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
export function verifyFile(file: Blob, sha256: string, options?: HashOptions): Promise<HashResult | { state: 'match' | 'mismatch'; sha256: string }>;
export function mediaOf(caseId: string): Promise<MediaEntry[]>;
export function createHashPool(options?: HashOptions): HashPool;
export function simdSupported(): boolean;

export type ReportChangeEvent = CustomEvent<ReportResult>;
/** The whole checklist record, whenever it changes: the platform stores it with the case. */
export type RecordChangeEvent = CustomEvent<ChecklistRecord>;
export type SubmitBlockedEvent = CustomEvent<{
  blocking: { key: string; title: string; citation: { article: string; quote: string } }[];
  /** null when the case could not be checked. */
  report: Report | null;
  /** Why the case could not be checked (then `blocking` is empty), else null. */
  unchecked: string | null;
}>;
export type SubmitAllowedEvent = CustomEvent<{
  /** false when the case was not checked: the config's `unchecked` policy let it through. */
  checked: boolean;
  warnings: string[];
  reason: string | null;
}>;

/** `<law-record-checklist agency procedure officer now admin review config-src config-fingerprint>` */
export interface LawRecordChecklistElement extends HTMLElement {
  case: Case | undefined;
  /** Set: the record the platform stored (merged with this machine's); get: the current one. */
  checklistRecord: ChecklistRecord | string | undefined;
  /** Hashing options, read when the element connects. */
  hash?: HashOptions | false;
  readonly report: ReportResult | null;
  readonly widget: Widget | null;
  readonly ready: Promise<Widget>;
  guardSubmit(target: HTMLFormElement | HTMLElement): void;
  addEventListener(type: 'report-change', listener: (e: ReportChangeEvent) => void): void;
  addEventListener(type: 'submit-blocked', listener: (e: SubmitBlockedEvent) => void): void;
  addEventListener(type: 'submit-allowed', listener: (e: SubmitAllowedEvent) => void): void;
  addEventListener(type: 'record-change', listener: (e: RecordChangeEvent) => void): void;
  /** A file finished, failed or was removed: the case's files as recorded here. */
  addEventListener(type: 'media-change', listener: (e: CustomEvent<{ caseId: string; media: MediaEntry[] }>) => void): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'law-record-checklist': LawRecordChecklistElement;
  }
}
