// Types of law-record-checklist.js. The data types — the case, the agency config, the report,
// the exported log and the checklist record — are generated from the engine's JSON Schemas
// (rules-core/schema/) into law-record-checklist.contract.d.ts and re-exported here; the API
// below is written by hand. `cargo xtask test` checks with `tsc` that the generated file is
// current, that this API and sample reports fit the data types, and that the loader declares
// every export of the module.
import type {
  AgencyConfig,
  Case,
  ChecklistRecord,
  CivilTime,
  LogEntry,
  Report,
  Severity,
} from './law-record-checklist.contract.js';

export * from './law-record-checklist.contract.js';

/**
 * Why an entry point failed (pkg/README.md, “Results and error codes”):
 * - `no-case`: `widget.report()` and the setters before a case was given;
 * - `invalid-case`: the case does not match the contract, or states what cannot be true;
 * - `pack`: no rule pack for the agency or the procedure;
 * - `invalid-time`: the `now` given is not a time;
 * - `invalid-config`: the agency config cannot be read or does not fit the pack;
 * - `config-refused`: `setConfig` / `loadConfig` set the config aside (unreadable, not the
 *   pinned fingerprint, not fitting the pack); the widget checks with the pack's defaults;
 * - `record-refused`: `setChecklistRecord` refused the record; this machine's copy is kept.
 */
export type ErrorCode =
  | 'no-case'
  | 'invalid-case'
  | 'pack'
  | 'invalid-time'
  | 'invalid-config'
  | 'config-refused'
  | 'record-refused';

/** A failed call: `code` for the host's code, `message` (zh-CN) for people. */
export interface Failure<C extends ErrorCode = ErrorCode> {
  type: 'failure';
  error: { code: C; message: string };
}
/** What evaluating a case may fail with. */
export type EvaluateError = 'invalid-case' | 'pack' | 'invalid-time' | 'invalid-config';
/** `evaluate()`: the report, or why there is none. */
export type EvaluateResult = { type: 'success'; report: Report } | Failure<EvaluateError>;
/** The widget's report (`widget.report()` and the setters), or why there is none. */
export type ReportResult = { type: 'success'; report: Report } | Failure<'no-case' | EvaluateError>;
/** `setConfig` / `loadConfig`: the report under the new config, or why the config was set aside. */
export type ConfigResult = ReportResult | Failure<'config-refused'>;

export interface PackInfo {
  id: string;
  agency: string;
  version: string;
  effective?: string;
  steps: { id: string; name: string }[];
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
  | Failure<'record-refused'>;

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
  | { state: 'changed' | 'cancelled' | 'failed'; message?: string; seconds?: number; simd?: boolean };

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
  setConfig(config: AgencyConfig | string | null): ConfigResult;
  /** Reads the config from a URL under the page's origin; resolves like `setConfig`. */
  loadConfig(url: string): Promise<ConfigResult>;
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
  logUncheckedSubmits(submits: UncheckedSubmit[]): void;
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
  evaluate(caseData: Case | string, options?: EvaluateOptions): EvaluateResult;
  packs(): { type: 'success'; packs: PackInfo[]; errors: string[] };
  version(): string;
}

export function load(input?: string | URL | Response | BufferSource): Promise<LoadedApi>;
export function mount(element: HTMLElement, options?: MountOptions): Promise<Widget>;
export function evaluate(caseData: Case | string, options?: EvaluateOptions): Promise<EvaluateResult>;
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

/** A submit the early guard let through unchecked, under the agency's `unchecked` policy. */
export interface UncheckedSubmit {
  /** ISO 8601, the page's clock. */
  at: string;
  /** Why the case could not be checked. */
  why: string;
  /** The officer's reason, when the policy asked for one. */
  reason: string | null;
}

/**
 * `window.lawRecordChecklistGuard`, set by the classic script law-record-checklist.guard.js
 * (pkg/README.md, “The submit guard”): holds the page's submits until the widget can decide.
 */
export interface EarlyGuard {
  /** Guards one more target: a selector, an element, or a function returning the element. */
  guard(target: string | Element | (() => Element | null)): void;
  /** Takes `unchecked`, `load_timeout_seconds` and `min_note_chars` from an agency config. */
  configure(config: AgencyConfig | null): void;
  /** Called by the loader once the widget can decide on a submit. */
  ready(): void;
  /** Called by the loader when the widget cannot load: the `unchecked` policy applies. */
  fail(reason?: string): void;
  /** A ready widget went away: submits are held again (`held`: one held elsewhere). */
  rearm(held?: { form: HTMLFormElement | null; submitter: Element | null; target: EventTarget | null }, reason?: string): void;
  /** The submits let through unchecked on this page. */
  unchecked(): UncheckedSubmit[];
  /** Hands them over (the widget logs them with its case). */
  takeUnchecked(): UncheckedSubmit[];
  readonly state: 'waiting' | 'ready' | 'failed';
}

declare global {
  interface HTMLElementTagNameMap {
    'law-record-checklist': LawRecordChecklistElement;
  }
  interface Window {
    lawRecordChecklistGuard?: EarlyGuard;
  }
}
