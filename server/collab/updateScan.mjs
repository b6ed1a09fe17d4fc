// A structural check of an untrusted Yjs update (encoding V1, what y-websocket sends), written so
// that it can never hang: every loop consumes at least one byte, every count is checked against the
// bytes left before anything is allocated for it, and nesting is capped. It is plain JavaScript
// because it also runs in the decode worker (`decodeWorker.mjs`), which starts without a TypeScript
// loader. Why it exists: Yjs' own decoders trust counts and lengths (yjs#479, yjs#498 zero-length
// and garbage updates looping in lib0; yjs#687 run-length "bombs" that loop or eat all memory).
import * as decoding from 'lib0/decoding';

/** Limits of one update; the defaults are far above what an honest client sends. */
export const DEFAULT_SCAN_LIMITS = Object.freeze({
  /** Structs (items, GC, skips) in one update. */
  maxStructs: 200_000,
  /** Delete-set ranges in one update. */
  maxDeleteRanges: 200_000,
  /** Largest clock and clock + length: 2^32 characters from one client session is beyond any real edit. */
  maxClock: 2 ** 32,
  /** Deepest nesting of an embedded value (`ContentAny`). */
  maxAnyDepth: 32,
  /** Root types an item may name as its parent. */
  allowedRoots: ['body'],
});

/** Thrown for an update that is malformed or outside the limits; the message says why. */
export class UpdateRejected extends Error {
  constructor(message) {
    super(message);
    this.name = 'UpdateRejected';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const BITS5 = 0b11111;
const HAS_ORIGIN = 0b1000_0000;
const HAS_RIGHT_ORIGIN = 0b0100_0000;
const HAS_PARENT_SUB = 0b0010_0000;
/** Type refs of `ContentType` (YArray … YXmlText); 3 (XmlElement) and 5 (XmlHook) carry a name. */
const MAX_TYPE_REF = 6;

/**
 * Walks a V1 update without building any Yjs object and throws `UpdateRejected` when it is
 * malformed, writes to a root type other than the allowed ones, uses subdocuments, or exceeds the
 * limits. Runs in time linear in the update's length.
 *
 * @param {Uint8Array} update
 * @param {Partial<typeof DEFAULT_SCAN_LIMITS>} [limits]
 * @returns {{ structs: number, deleteRanges: number, clients: number }}
 */
export function scanUpdate(update, limits = {}) {
  const l = { ...DEFAULT_SCAN_LIMITS, ...limits };
  if (update.length === 0) throw new UpdateRejected('empty update');
  const d = decoding.createDecoder(update);
  const left = () => d.arr.length - d.pos;
  // lib0 throws its own errors on truncation and on varints over 53 bits; both mean "malformed".
  const uint = () => decoding.readVarUint(d);
  /** A count of elements that each take at least `minBytes`: more than the bytes left is a lie. */
  const count = (what, minBytes = 1) => {
    const n = uint();
    if (n * minBytes > left()) throw new UpdateRejected(`${what} count ${n} exceeds the bytes left`);
    return n;
  };
  const clockValue = (what) => {
    const n = uint();
    if (n > l.maxClock) throw new UpdateRejected(`${what} ${n} is out of range`);
    return n;
  };
  const client = () => {
    const id = uint();
    // Yjs client ids are random unsigned 32-bit integers.
    if (id > 0xffff_ffff) throw new UpdateRejected(`client id ${id} is out of range`);
    return id;
  };
  /**
   * An item's reference (origin, right origin, parent) to an item of its own client must point to
   * an earlier clock: Yjs throws half-way through integrating one that points forward.
   */
  const reference = (ownClient, ownClock) => {
    const c = client();
    const k = clockValue('clock');
    if (c === ownClient && k >= ownClock) throw new UpdateRejected('an item refers to a later item of its own client');
  };
  // Yjs decodes strings with a fatal UTF-8 decoder and parses JSON content: a failure there would
  // come mid-way through its decoding, so both are checked here, where nothing has been built yet.
  const json = (allowUndefined = false) => {
    const s = text();
    if (allowUndefined && s === 'undefined') return;
    try {
      JSON.parse(s);
    } catch {
      throw new UpdateRejected('embedded JSON does not parse');
    }
  };
  /** A string, decoded (its length is checked before it is read; invalid UTF-8 is refused). */
  const text = () => {
    const n = count('string length');
    const bytes = d.arr.subarray(d.pos, d.pos + n);
    d.pos += n;
    try {
      return utf8.decode(bytes);
    } catch {
      throw new UpdateRejected('a string is not valid UTF-8');
    }
  };
  const bytes = () => {
    const n = count('byte length');
    d.pos += n;
  };
  const any = (depth) => {
    if (depth > l.maxAnyDepth) throw new UpdateRejected('embedded value nested too deeply');
    const tag = decoding.readUint8(d);
    switch (tag) {
      case 127: // undefined
      case 126: // null
      case 121: // false
      case 120: // true
        return;
      case 125: // integer
        decoding.readVarInt(d);
        return;
      case 124: // float32
        need(4);
        d.pos += 4;
        return;
      case 123: // float64
      case 122: // bigint
        need(8);
        d.pos += 8;
        return;
      case 119:
        text();
        return;
      case 118: {
        const n = count('object size', 2);
        for (let i = 0; i < n; i++) {
          text();
          any(depth + 1);
        }
        return;
      }
      case 117: {
        const n = count('array size');
        for (let i = 0; i < n; i++) any(depth + 1);
        return;
      }
      case 116:
        bytes();
        return;
      default:
        throw new UpdateRejected(`unknown embedded value tag ${tag}`);
    }
  };
  const need = (n) => {
    if (left() < n) throw new UpdateRejected('unexpected end of update');
  };
  const content = (ref) => {
    switch (ref) {
      case 1: // deleted
        return clockValue('deleted length');
      case 2: {
        // JSON
        const n = count('JSON values');
        for (let i = 0; i < n; i++) json(true);
        return n;
      }
      case 3: // binary
        bytes();
        return 1;
      case 4: {
        // string: its length in UTF-16 units is what advances the clock
        return text().length;
      }
      case 5: // embed
        json();
        return 1;
      case 6: // format
        text();
        json();
        return 1;
      case 7: {
        const typeRef = uint();
        if (typeRef > MAX_TYPE_REF) throw new UpdateRejected(`unknown type ref ${typeRef}`);
        if (typeRef === 3 || typeRef === 5) text();
        return 1;
      }
      case 8: {
        // any
        const n = count('embedded values');
        for (let i = 0; i < n; i++) any(0);
        return n;
      }
      case 9:
        throw new UpdateRejected('subdocuments are not accepted');
      default:
        throw new UpdateRejected(`unknown content ref ${ref}`);
    }
  };

  let structs = 0;
  const clientsWithStructs = count('clients', 3);
  for (let c = 0; c < clientsWithStructs; c++) {
    const numberOfStructs = count('structs', 2);
    structs += numberOfStructs;
    if (structs > l.maxStructs) throw new UpdateRejected(`more than ${l.maxStructs} structs`);
    const owner = client();
    let clock = clockValue('clock');
    for (let i = 0; i < numberOfStructs; i++) {
      const info = decoding.readUint8(d);
      const ref = info & BITS5;
      let length;
      if (ref === 0 || ref === 10) {
        // GC and skip: a length only
        length = clockValue('length');
      } else {
        if (info & HAS_ORIGIN) reference(owner, clock);
        if (info & HAS_RIGHT_ORIGIN) reference(owner, clock);
        if ((info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0) {
          const parentInfo = uint();
          if (parentInfo === 1) {
            const name = text();
            if (!l.allowedRoots.includes(name)) throw new UpdateRejected(`update writes to root type "${name}"`);
          } else if (parentInfo === 0) {
            reference(owner, clock);
          } else {
            throw new UpdateRejected(`malformed parent info ${parentInfo}`);
          }
          if (info & HAS_PARENT_SUB) text();
        }
        length = content(ref);
      }
      clock += length;
      if (clock > l.maxClock) throw new UpdateRejected(`clock ${clock} is out of range`);
    }
  }

  let deleteRanges = 0;
  const clientsWithDeletes = count('delete-set clients', 3);
  for (let c = 0; c < clientsWithDeletes; c++) {
    client();
    const n = count('delete ranges', 2);
    deleteRanges += n;
    if (deleteRanges > l.maxDeleteRanges) throw new UpdateRejected(`more than ${l.maxDeleteRanges} delete ranges`);
    for (let i = 0; i < n; i++) {
      const clock = clockValue('delete clock');
      const len = clockValue('delete length');
      if (clock + len > l.maxClock) throw new UpdateRejected('delete range out of range');
    }
  }
  if (d.pos !== d.arr.length) throw new UpdateRejected(`${left()} bytes after the update`);
  return { structs, deleteRanges, clients: clientsWithStructs + clientsWithDeletes };
}
