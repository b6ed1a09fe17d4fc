import type { ColumnType, Generated } from 'kysely';

/**
 * The tables of Accord, as Kysely sees them. One shape for SQLite and PostgreSQL: ids are text
 * (random) except for the append-only logs, times are ISO-8601 text, JSON is text, bytes are
 * `Uint8Array` (SQLite BLOB, PostgreSQL BYTEA).
 */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  dialogues: DialoguesTable;
  members: MembersTable;
  documents: DocumentsTable;
  doc_updates: DocUpdatesTable;
  doc_states: DocStatesTable;
  audit_log: AuditLogTable;
  clause_statuses: ClauseStatusesTable;
  clause_status_history: ClauseStatusHistoryTable;
  evidence_reports: EvidenceReportsTable;
  evidence_excerpts: EvidenceExcerptsTable;
  evidence_excerpt_themes: EvidenceExcerptThemesTable;
  evidence_links: EvidenceLinksTable;
  versions: VersionsTable;
  validation_rounds: ValidationRoundsTable;
  round_validators: RoundValidatorsTable;
  round_invitations: RoundInvitationsTable;
  threads: ThreadsTable;
  comments: CommentsTable;
  inbox_items: InboxItemsTable;
  thread_carries: ThreadCarriesTable;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  /** Country or organisation shown beside the name (focal points, validators). */
  affiliation: string | null;
  created_at: string;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the session token; the token itself is only ever in the cookie. */
  id: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface DialoguesTable {
  id: string;
  name: string;
  created_at: string;
}

export interface MembersTable {
  dialogue_id: string;
  user_id: string;
  /** One of `Role` in shared/permissions. */
  role: string;
  created_at: string;
}

export interface DocumentsTable {
  id: string;
  dialogue_id: string;
  title: string;
  /** JSON object of document settings (policies such as "drafters must suggest"). */
  settings: string;
  created_at: string;
  updated_at: string;
}

/** The Yjs update log: every accepted update, appended before it is acknowledged as saved. */
export interface DocUpdatesTable {
  id: Generated<number>;
  document_id: string;
  data: Uint8Array;
  /** The member (user id) whose connection sent the update; null for server-made updates. */
  user_id: string | null;
  created_at: string;
}

/** The compacted state of a document: all updates up to `last_update_id` applied into one. */
export interface DocStatesTable {
  document_id: string;
  data: Uint8Array;
  last_update_id: number;
  updated_at: string;
}

/** Append-only audit log; each entry carries the hash of the previous one (tamper evidence). */
export interface AuditLogTable {
  id: Generated<number>;
  dialogue_id: string | null;
  document_id: string | null;
  /** The user who acted; null for the system. */
  actor_id: string | null;
  action: string;
  /** JSON object with the details of the action. */
  detail: string;
  created_at: string;
  prev_hash: string;
  hash: string;
}

/**
 * Frozen versions (migration 005). Rows are immutable: the database refuses UPDATE and DELETE.
 * `content` is the canonical JSON the `hash` covers (see shared/versions/content.ts).
 */
export interface VersionsTable {
  id: string;
  document_id: string;
  /** 1, 2, 3 … per document, in freezing order. */
  seq: number;
  label: string;
  meeting: string | null;
  note: string | null;
  frozen_by: string;
  frozen_at: string;
  content: string;
  yjs_state: Uint8Array;
  hash: string;
}

/** Validation rounds on versions (migration 005). A round is closed once `closed_at` is set or `closes_at` has passed. */
export interface ValidationRoundsTable {
  id: string;
  document_id: string;
  version_id: string;
  title: string;
  closes_at: string;
  created_by: string;
  created_at: string;
  closed_at: string | null;
  closed_by: string | null;
}

/** The validators of a round (they see that round's version and nothing else of the document). */
export interface RoundValidatorsTable {
  round_id: string;
  user_id: string;
  joined_at: string;
}

/** Invitations to validate a round; `token_hash` is the SHA-256 of the link's token. */
export interface RoundInvitationsTable {
  id: string;
  round_id: string;
  /** Normalised (lowercase) email the invitation was sent to. */
  email: string;
  token_hash: string;
  invited_by: string;
  created_at: string;
  accepted_at: string | null;
  accepted_by: string | null;
}

/** A comment thread (issue 3); `anchor` is the JSON of `Anchor` in shared/api/threads. */
export interface ThreadsTable {
  id: string;
  document_id: string;
  dialogue_id: string;
  /** Null for the live draft; the frozen version otherwise. */
  version_id: string | null;
  /** The validation round whose feedback it is (threads on a version; migration 007), else null. */
  round_id: string | null;
  anchor_kind: string;
  clause_id: string | null;
  objective_id: string | null;
  anchor: string;
  /** `everyone` or `internal` (Secretariat and Co-Chairs only). */
  visibility: string;
  /** `open` or `resolved`. */
  status: string;
  created_by: string;
  /** The role the starter had when they started it. */
  created_role: string | null;
  created_at: string;
  updated_at: string;
  resolved_by: string | null;
  resolved_role: string | null;
  resolved_at: string | null;
  deleted_at: string | null;
}

/** A comment of a thread; deleted comments keep their row (a marker in the thread). */
export interface CommentsTable {
  id: string;
  thread_id: string;
  author_id: string;
  author_role: string | null;
  body: string;
  proposed_wording: string | null;
  applied_by: string | null;
  applied_role: string | null;
  applied_at: string | null;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  deleted_by: string | null;
}

/**
 * A feedback thread of a validation round carried to the live draft (migration 007): the live thread it
 * became, where that landed, and who carried it when.
 */
export interface ThreadCarriesTable {
  source_thread_id: string;
  target_thread_id: string;
  document_id: string;
  round_id: string;
  /** `range`, `clause` or `document`. */
  placement: string;
  carried_by: string;
  carried_role: string | null;
  carried_at: string;
}

/** A member's inbox entry: a comment that mentions them or replies in a thread they take part in. */
export interface InboxItemsTable {
  id: string;
  user_id: string;
  dialogue_id: string;
  document_id: string;
  thread_id: string;
  comment_id: string;
  /** `mention` or `reply`. */
  reason: string;
  created_at: string;
  read_at: string | null;
}

export type Timestamp = ColumnType<string, string, never>;

/** The status of a clause (no row: `draft`), with a drafter's pending proposal, if any. */
export interface ClauseStatusesTable {
  document_id: string;
  clause_id: string;
  /** One of `ClauseStatus` in shared/permissions. */
  status: string;
  updated_at: string;
  updated_by: string | null;
  proposal_to: string | null;
  proposal_by: string | null;
  proposal_at: string | null;
  proposal_note: string | null;
}

/** Every status change, proposal, confirmation and decline, append-only. */
export interface ClauseStatusHistoryTable {
  id: Generated<number>;
  document_id: string;
  clause_id: string;
  /** `set`, `proposed`, `confirmed` or `declined`. */
  kind: string;
  from_status: string;
  to_status: string;
  actor_id: string | null;
  note: string | null;
  created_at: string;
}

/** A consultation report of a dialogue's evidence library (migration 004). */
export interface EvidenceReportsTable {
  id: string;
  dialogue_id: string;
  /** Country or region. */
  country: string;
  /** One of `reportKinds` in shared/api/evidence. */
  kind: string;
  focal_point: string;
  /** `YYYY-MM-DD`. */
  report_date: string;
  title: string;
  /** The full text, plain; excerpts point into it by offsets. */
  body: string;
  /** How the text came in: `manual`, `text`, `markdown`, `docx`, `pdf`. */
  source: string;
  source_filename: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A passage of a report, by character offsets into its text. */
export interface EvidenceExcerptsTable {
  id: string;
  report_id: string;
  dialogue_id: string;
  start_offset: number;
  end_offset: number;
  quote: string;
  /** JSON array of normalised themes. */
  themes: string;
  note: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** One theme of one excerpt (what theme filters query). */
export interface EvidenceExcerptThemesTable {
  excerpt_id: string;
  dialogue_id: string;
  theme: string;
}

/** A link from a clause (by its stable id) of a document to an excerpt. */
export interface EvidenceLinksTable {
  id: string;
  dialogue_id: string;
  document_id: string;
  clause_id: string;
  excerpt_id: string;
  /** `supports` or `challenges`. */
  relation: string;
  note: string;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}
