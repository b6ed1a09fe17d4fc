/**
 * A corpus of hostile Yjs updates (encoding V1, what y-websocket clients send): bytes that are
 * malformed, lie about their counts and lengths, or are well-formed but built to make a decoder
 * loop, recurse or allocate without bound. Sources: yjs#479 and yjs#498 (garbage and zero-length
 * updates looping in lib0's varint reader), yjs#687 (run-length "bombs": huge counts and lengths
 * that loop forever or eat all memory), plus the shapes those issues imply for V1.
 *
 * Shared by the scanner's unit tests (`server/collab/updateGuard.test.ts`) and the attack on a
 * real server (`tests/integration/collab.hostile.corpus.test.ts`).
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { createRandom } from './random';

/** One hostile update and what it is. */
export interface HostileUpdate {
  name: string;
  update: Uint8Array;
}

/** Writes the header of an update with one client's structs: [1 client][n structs][client][clock]. */
function structsHeader(e: encoding.Encoder, structs: number, client = 12345, clock = 0): void {
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, structs);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
}

/** Writes an item's info and its parent (the root type `root`). */
function rootItem(e: encoding.Encoder, contentRef: number, root = 'body'): void {
  encoding.writeUint8(e, contentRef);
  encoding.writeVarUint(e, 1);
  encoding.writeVarString(e, root);
}

const emptyDeleteSet = (e: encoding.Encoder) => encoding.writeVarUint(e, 0);

/** A real update: a paragraph of text inserted into the body. */
export function honestUpdate(text = 'An honest sentence. '): Uint8Array {
  const doc = new Y.Doc();
  const paragraph = new Y.XmlElement('paragraph');
  doc.getXmlFragment('body').insert(0, [paragraph]);
  paragraph.insert(0, [new Y.XmlText(text)]);
  return Y.encodeStateAsUpdate(doc);
}

/** `n` GC structs of length 1: two bytes each, one object each when decoded (a memory bomb). */
export function gcBomb(n: number): Uint8Array {
  const e = encoding.createEncoder();
  structsHeader(e, n);
  for (let i = 0; i < n; i++) {
    encoding.writeUint8(e, 0);
    encoding.writeVarUint(e, 1);
  }
  emptyDeleteSet(e);
  return encoding.toUint8Array(e);
}

/**
 * `n` GC structs of client `client` starting at `clock`, far beyond anything the document has: the
 * whole update waits for missing dependencies, and Yjs re-merges what waits on each later one.
 */
export function gappedUpdate(n: number, client: number, clock: number): Uint8Array {
  const e = encoding.createEncoder();
  structsHeader(e, n, client, clock);
  for (let i = 0; i < n; i++) {
    encoding.writeUint8(e, 0);
    encoding.writeVarUint(e, 1);
  }
  emptyDeleteSet(e);
  return encoding.toUint8Array(e);
}

/** A delete set naming `n` clients the document has never seen (each kept as pending work). */
export function deleteSetBomb(n: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, n);
  for (let i = 0; i < n; i++) {
    encoding.writeVarUint(e, 1_000_000 + i);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 5);
  }
  return encoding.toUint8Array(e);
}

/** The hostile updates of the corpus, each small enough to be checked on the event loop. */
export function hostileUpdates(seed = 1): HostileUpdate[] {
  const random = createRandom(seed);
  const honest = honestUpdate();
  const out: HostileUpdate[] = [];
  const add = (name: string, build: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    build(e);
    out.push({ name, update: encoding.toUint8Array(e) });
  };

  out.push({ name: 'zero-length update (yjs#498)', update: new Uint8Array() });
  out.push({ name: 'garbage bytes of yjs#479', update: new Uint8Array(Buffer.from('garbagedoc', 'base64')) });
  out.push({ name: 'a single 0x80 byte: a varint that never ends', update: new Uint8Array([0x80]) });
  out.push({ name: 'truncated honest update', update: honest.slice(0, Math.floor(honest.length / 2)) });
  out.push({ name: 'honest update without its last byte', update: honest.slice(0, honest.length - 1) });
  out.push({ name: 'honest update with trailing bytes', update: Uint8Array.from([...honest, 0, 0, 0]) });
  for (let i = 0; i < 3; i++) out.push({ name: `random bytes (seed ${seed}, #${i})`, update: random.bytes(64 + random.int(512)) });
  out.push({
    name: 'run-length bomb of yjs#687 (V2 bytes sent as an update)',
    update: new Uint8Array(Buffer.from('00010000000001000100010200001602000001fdffffffff7f0000', 'hex')),
  });
  add('a varint of 2^63 as the client count', (e) => {
    for (let i = 0; i < 9; i++) encoding.writeUint8(e, 0xff);
    encoding.writeUint8(e, 0x7f);
  });
  add('2^31 clients announced in 4 bytes', (e) => {
    encoding.writeVarUint(e, 2 ** 31);
    emptyDeleteSet(e);
  });
  add('2^31 structs announced for one client', (e) => {
    structsHeader(e, 2 ** 31);
    emptyDeleteSet(e);
  });
  add('a client id of 2^52', (e) => {
    structsHeader(e, 1, 2 ** 52);
    encoding.writeUint8(e, 0);
    encoding.writeVarUint(e, 1);
    emptyDeleteSet(e);
  });
  add('a clock of 2^52', (e) => {
    structsHeader(e, 1, 12345, 2 ** 52);
    encoding.writeUint8(e, 0);
    encoding.writeVarUint(e, 1);
    emptyDeleteSet(e);
  });
  add('a GC struct 2^50 long', (e) => {
    structsHeader(e, 1);
    encoding.writeUint8(e, 0);
    encoding.writeVarUint(e, 2 ** 50);
    emptyDeleteSet(e);
  });
  add('a skip struct 2^50 long', (e) => {
    structsHeader(e, 1);
    encoding.writeUint8(e, 10);
    encoding.writeVarUint(e, 2 ** 50);
    emptyDeleteSet(e);
  });
  add('deleted content 2^50 long in the body', (e) => {
    structsHeader(e, 1);
    rootItem(e, 1);
    encoding.writeVarUint(e, 2 ** 50);
    emptyDeleteSet(e);
  });
  add('a string that claims 2^30 bytes', (e) => {
    structsHeader(e, 1);
    rootItem(e, 4);
    encoding.writeVarUint(e, 2 ** 30);
    encoding.writeUint8Array(e, new Uint8Array(8));
    emptyDeleteSet(e);
  });
  add('2^31 embedded values announced', (e) => {
    structsHeader(e, 1);
    rootItem(e, 8);
    encoding.writeVarUint(e, 2 ** 31);
    encoding.writeUint8(e, 127);
    emptyDeleteSet(e);
  });
  add('embedded arrays nested 5000 deep', (e) => {
    structsHeader(e, 1);
    rootItem(e, 8);
    encoding.writeVarUint(e, 1);
    for (let i = 0; i < 5000; i++) {
      encoding.writeUint8(e, 117);
      encoding.writeVarUint(e, 1);
    }
    encoding.writeUint8(e, 127);
    emptyDeleteSet(e);
  });
  add('an embedded value of an unknown tag', (e) => {
    structsHeader(e, 1);
    rootItem(e, 8);
    encoding.writeVarUint(e, 1);
    encoding.writeUint8(e, 3);
    emptyDeleteSet(e);
  });
  add('an unknown content ref', (e) => {
    structsHeader(e, 1);
    rootItem(e, 17);
    emptyDeleteSet(e);
  });
  add('an unknown type ref', (e) => {
    structsHeader(e, 1);
    rootItem(e, 7);
    encoding.writeVarUint(e, 99);
    emptyDeleteSet(e);
  });
  add('a subdocument', (e) => {
    structsHeader(e, 1);
    rootItem(e, 9);
    encoding.writeVarString(e, 'guid');
    encoding.writeUint8(e, 126);
    emptyDeleteSet(e);
  });
  add('a write to another root type', (e) => {
    structsHeader(e, 1);
    rootItem(e, 4, 'smuggled');
    encoding.writeVarString(e, 'x'.repeat(100));
    emptyDeleteSet(e);
  });
  add('a malformed parent info', (e) => {
    structsHeader(e, 1);
    encoding.writeUint8(e, 4);
    encoding.writeVarUint(e, 7);
    encoding.writeVarString(e, 'x');
    emptyDeleteSet(e);
  });
  add('a delete range 2^50 long', (e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 12345);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 2 ** 50);
  });
  add('2^31 delete ranges announced', (e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint(e, 12345);
    encoding.writeVarUint(e, 2 ** 31);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 1);
  });
  return out;
}
