/**
 * Reading a large TensorBoard log folder: R runs × T tags × S steps written as PyTorch's SummaryWriter writes them
 * (one Event per scalar; bench/eventFiles.ts), a folder per run. Timed in Node (readEventFiles over the bytes in
 * memory, then the whole import) and in the page (the folder handed to the lab's folder input, until the import is on
 * show: bytes read, parsed in the import worker, the bundle back in the page). Also the decoder alone: @bufbuild/
 * protobuf's fromBinary against a field walk with its wire-level BinaryReader, the choice docs/formats.md explains.
 *
 *   npm run bench -- tfevents            (TRAINMAP_TFEVENTS="runs,tags,steps" for another size; default 100,10,10000)
 */
import { fromBinary } from '@bufbuild/protobuf';
import { BinaryReader, WireType } from '@bufbuild/protobuf/wire';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFiles, readEventFiles, tfRecords } from '../src/io/index.ts';
import { EventSchema } from '../src/io/proto/tensorboard_events_pb.ts';
import { buildLab, launchLab } from '../tests/e2e/browser.ts';
import { syntheticEventFile } from './eventFiles.ts';
import { machine, median, type BenchResult } from './harness.ts';

function decoderComparison(bytes: Uint8Array): BenchResult['rows'] {
  const records = [...tfRecords(bytes, 'x')].map((r) => r.data);
  const viaSchema = () => {
    let s = 0;
    for (const d of records) {
      const e = fromBinary(EventSchema, d, { readUnknownFields: false });
      if (e.what.case === 'summary')
        for (const v of e.what.value.value) if (v.value.case === 'simpleValue') s += v.value.value;
    }
    return s;
  };
  const viaWire = () => {
    let s = 0;
    for (const d of records) {
      const r = new BinaryReader(d);
      while (r.pos < r.len) {
        const [f, w] = r.tag();
        if (f !== 5 || w !== WireType.LengthDelimited) {
          r.skip(w, f);
          continue;
        }
        const end = r.uint32() + r.pos;
        while (r.pos < end) {
          const [f2, w2] = r.tag();
          if (f2 !== 1) {
            r.skip(w2, f2);
            continue;
          }
          const vend = r.uint32() + r.pos;
          while (r.pos < vend) {
            const [f3, w3] = r.tag();
            if (f3 === 2 && w3 === WireType.Bit32) s += r.float();
            else r.skip(w3, f3);
          }
        }
      }
    }
    return s;
  };
  const time = (fn: () => number) => {
    const ts: number[] = [];
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      fn();
      ts.push(performance.now() - t0);
    }
    return (median(ts) / records.length) * 1000;
  };
  return [
    {
      what: 'decode one Event, @bufbuild/protobuf fromBinary (generated schema)',
      value: Number(time(viaSchema).toFixed(2)),
      unit: 'µs',
    },
    {
      what: 'decode one Event, a field walk with its BinaryReader',
      value: Number(time(viaWire).toFixed(2)),
      unit: 'µs',
    },
  ];
}

export async function tfeventsBench(): Promise<BenchResult> {
  const [runs, tags, steps] = (process.env.TRAINMAP_TFEVENTS ?? '100,10,10000').split(',').map(Number);
  const root = mkdtempSync(join(tmpdir(), 'trainmap-tfevents-'));
  const logdir = join(root, 'logdir');
  const rows: BenchResult['rows'] = [];
  const names: string[] = [];
  let total = 0;
  try {
    for (let r = 0; r < runs; r++) {
      const dir = join(logdir, `seed${r}`);
      mkdirSync(dir, { recursive: true });
      const bytes = syntheticEventFile(r, tags, steps);
      const name = join(dir, `events.out.tfevents.${1700000000 + r}.bench.${r}`);
      writeFileSync(name, bytes);
      names.push(name);
      total += bytes.length;
      if (r === 0) rows.push(...decoderComparison(bytes));
    }
    rows.push({
      what: `log folder: ${runs} runs × ${tags} tags × ${steps} steps`,
      value: Number((total / 2 ** 20).toFixed(1)),
      unit: 'MiB',
    });
    const files = names.map((name) => ({ name, bytes: new Uint8Array(readFileSync(name)) }));
    let t0 = performance.now();
    const read = readEventFiles(files, 'logdir');
    rows.push({
      what: 'Node: readEventFiles (frames, CRCs, protobuf, join)',
      value: Number(((performance.now() - t0) / 1000).toFixed(1)),
      unit: 's',
    });
    rows.push({ what: 'records read', value: read.records, unit: '' });
    t0 = performance.now();
    importFiles(files, 'logdir');
    rows.push({
      what: 'Node: importFiles (the same, as the CLI calls it)',
      value: Number(((performance.now() - t0) / 1000).toFixed(1)),
      unit: 's',
    });

    const lab = await launchLab(await buildLab());
    try {
      const page = await lab.open('', { fresh: true });
      await page.getByTestId('map-summary').filter({ hasText: 'states over' }).waitFor({ timeout: 120_000 });
      await page.waitForFunction(
        () => !/ · /.test(document.querySelector('[role=status]')?.textContent ?? ''),
        undefined,
        {
          timeout: 120_000,
        },
      );
      t0 = performance.now();
      await page.getByLabel('import a folder').setInputFiles(logdir);
      await page.getByTestId('importing').filter({ hasText: 'parsing' }).waitFor({ timeout: 600_000 });
      const handed = (performance.now() - t0) / 1000;
      await page.getByText(/^Imported: /).waitFor({ timeout: 1_800_000 });
      const shown = (performance.now() - t0) / 1000;
      rows.push({
        what: 'page: folder chosen → bytes in the import worker',
        value: Number(handed.toFixed(1)),
        unit: 's',
      });
      rows.push({
        what: 'page: folder chosen → import on show (parsed in the worker, bundle in the page)',
        value: Number(shown.toFixed(1)),
        unit: 's',
      });
      if (lab.errors.length) rows.push({ what: 'page errors', value: lab.errors.join(' | '), unit: '' });
    } finally {
      await lab.close();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return {
    benchmark: 'tfevents',
    date: new Date().toISOString(),
    machine: machine(),
    rows,
    notes: [
      'one Event per scalar, as PyTorch writes them: the most records a log folder of this size can hold',
      'timings taken on a shared 2-core machine are noisy; rerun on a quiet one',
    ],
  };
}
