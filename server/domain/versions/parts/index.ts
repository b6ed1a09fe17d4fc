/**
 * Registers the snapshot parts of the features that have records of their own, so that every freeze
 * and export carries them. Imported once by the HTTP app.
 */
import { partKeys } from '@shared/versions/parts';
import { registerSnapshotPart } from '../snapshotParts';
import { collectClauseStatuses } from './clauseStatus';
import { collectConsultationAnnex, collectEvidenceLinks } from './evidence';
import { collectOpenThreads } from './openThreads';

registerSnapshotPart({ key: partKeys.clauseStatus, collect: collectClauseStatuses });
registerSnapshotPart({ key: partKeys.evidenceLinks, collect: collectEvidenceLinks });
registerSnapshotPart({ key: partKeys.consultationAnnex, collect: collectConsultationAnnex });
registerSnapshotPart({ key: partKeys.openThreads, collect: collectOpenThreads });
