#!/usr/bin/env node
// Local AT Protocol network for Keryx integration tests.
//
// Two modes:
//   * default: @atproto/dev-env's TestNetworkNoAppView: an in-memory did:plc
//     directory (PLC) and one PDS whose databases (SQLite) and blobs live in a
//     fresh temporary directory. No AppView, no Ozone, no Postgres, no Redis.
//   * --appview: the full TestNetwork: PLC, the PDS, the bsky AppView (which
//     indexes the PDS's firehose into PostgreSQL) and Ozone. The PDS proxies
//     app.bsky.* calls to the AppView. Needs DB_POSTGRES_URL (a database of
//     the caller's own), DB_POSTGRES_SCHEMA (the AppView uses the schema
//     "appview_<it>", Ozone "ozone_<it>") and REDIS_HOST (dev-env 0.3.215
//     asserts it is set; the AppView of this version does not connect to it).
//     A small HTTP control server answers POST /process-all: it waits until
//     the AppView has indexed everything the PDS has sequenced (dev-env's
//     TestNetwork.processAll()) and answers {"ok": true}, so a test can read
//     what it has just written.
//
// Protocol with the caller (tests/support/pds.py):
//   * stdout carries exactly ONE line, a JSON object, printed once the network
//     answers: {"ready": true, "pds": "http://localhost:2583",
//               "plc": "http://localhost:2582", "handleDomain": ".test"}.
//     Everything else (library logs, console output, errors) goes to stderr.
//   * SIGTERM / SIGINT close the network, delete the temporary directory and
//     exit 0 (exit 1 if closing fails or takes longer than 15 s).
//     With --appview the ready line also carries "appview" (the AppView's
//     URL), "appviewDid" and "control" (the control server's URL).
//   * With --exit-with-stdin the server also shuts down when its stdin reaches
//     EOF, so it never outlives a test process that died without cleaning up.
//   * A failure to start prints the error to stderr and exits 1 (nothing on
//     stdout).
//
// Environment: KERYX_PDS_PORT (default 2583), KERYX_PLC_PORT (default 2582);
// with --appview also KERYX_APPVIEW_PORT, KERYX_OZONE_PORT and
// KERYX_CONTROL_PORT (default: any free port).
//
// Usage: node tests/pds/server.mjs [--exit-with-stdin] [--appview]

import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import process from 'node:process'
import { inspect } from 'node:util'

const DEFAULT_PDS_PORT = 2583
const DEFAULT_PLC_PORT = 2582
const CLOSE_TIMEOUT_MS = 15_000

// Keep stdout for the single ready line: anything the libraries print goes to
// stderr instead. Must happen before @atproto/* is imported, because their
// pino loggers pick their destination at import time. They are silent unless
// LOG_ENABLED=true; only then do we point them at stderr (setting
// LOG_DESTINATION unconditionally makes @did-plc/lib's bundled pino throw
// "sonic boom is not ready yet" when the process exits early).
const toStderr = (...args) => {
  process.stderr.write(
    args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ') + '\n',
  )
}
console.log = toStderr
console.info = toStderr
console.debug = toStderr
const logEnabled = ['true', 't', '1'].includes(process.env.LOG_ENABLED ?? '')
if (logEnabled && !process.env.LOG_DESTINATION) {
  process.env.LOG_DESTINATION = '/dev/stderr'
}

const parsePort = (name, fallback) => {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const port = Number(raw)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port number (1-65535), got ${JSON.stringify(raw)}`)
  }
  return port
}

const log = (msg) => process.stderr.write(`[keryx-pds] ${msg}\n`)

let network = null
let control = null
let tmpDir = null
let shuttingDown = false

const removeTmpDir = () => {
  if (tmpDir) {
    fs.rmSync(tmpDir, { recursive: true, force: true })
    tmpDir = null
  }
}

const shutdown = async (reason) => {
  if (shuttingDown) return
  shuttingDown = true
  log(`shutting down (${reason})`)
  const timer = setTimeout(() => {
    log(`network did not close within ${CLOSE_TIMEOUT_MS} ms, exiting anyway`)
    removeTmpDir()
    process.exit(1)
  }, CLOSE_TIMEOUT_MS)
  timer.unref()
  let code = 0
  try {
    if (control) await new Promise((resolve) => control.close(() => resolve()))
    if (network) await network.close()
  } catch (err) {
    log(`error while closing the network: ${err?.stack ?? err}`)
    code = 1
  }
  removeTmpDir()
  process.exit(code)
}

process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
if (process.argv.includes('--exit-with-stdin')) {
  process.stdin.on('end', () => void shutdown('stdin closed'))
  process.stdin.on('error', () => void shutdown('stdin error'))
  process.stdin.resume()
}

// The control server of --appview mode: POST /process-all makes the AppView
// catch up with the PDS before it answers.
const startControl = (port) =>
  new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => {
      const reply = (status, body) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify(body))
      }
      if (req.method !== 'POST' || req.url !== '/process-all') {
        reply(404, { error: 'POST /process-all is the only endpoint' })
        return
      }
      req.resume()
      network
        .processAll(20_000)
        .then(() => reply(200, { ok: true }))
        .catch((err) => {
          log(`process-all failed: ${err?.stack ?? err}`)
          reply(500, { error: String(err?.message ?? err) })
        })
    })
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve(server))
  })

const requireEnv = (name) => {
  const value = process.env[name]
  if (!value) throw new Error(`--appview needs ${name} in the environment`)
  return value
}

const createAppviewNetwork = async ({ pdsPort, plcPort }) => {
  requireEnv('DB_POSTGRES_URL')
  requireEnv('DB_POSTGRES_SCHEMA')
  requireEnv('REDIS_HOST')
  const { TestNetwork } = await import('@atproto/dev-env')
  // No dataDirectory here: TestNetwork also starts a short-lived second PDS
  // with the same pds options, and two PDSs must not share their SQLite
  // files. Each TestPds makes its own directory under os.tmpdir(), which is
  // our temp dir.
  return TestNetwork.create({
    plc: { port: plcPort },
    pds: { port: pdsPort, hostname: 'localhost' },
    bsky: { port: parsePort('KERYX_APPVIEW_PORT', 0) || undefined },
    ozone: { port: parsePort('KERYX_OZONE_PORT', 0) || undefined },
  })
}

const main = async () => {
  const appview = process.argv.includes('--appview')
  const pdsPort = parsePort('KERYX_PDS_PORT', DEFAULT_PDS_PORT)
  const plcPort = parsePort('KERYX_PLC_PORT', DEFAULT_PLC_PORT)
  if (pdsPort === plcPort) {
    throw new Error(`KERYX_PDS_PORT and KERYX_PLC_PORT must differ (both ${pdsPort})`)
  }

  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keryx-pds-'))
  const dataDirectory = path.join(tmpDir, 'data')
  fs.mkdirSync(dataDirectory)
  // TestPds.create() always mkdirs a random directory under os.tmpdir() (even
  // when dataDirectory is given) and never deletes it: point os.tmpdir() at
  // our own temp dir so that everything is removed on shutdown.
  process.env.TMPDIR = tmpDir
  let created
  if (appview) {
    created = await createAppviewNetwork({ pdsPort, plcPort })
  } else {
    const { TestNetworkNoAppView } = await import('@atproto/dev-env')
    created = await TestNetworkNoAppView.create({
      plc: { port: plcPort },
      pds: {
        port: pdsPort,
        hostname: 'localhost',
        dataDirectory,
        blobstoreDiskLocation: path.join(tmpDir, 'blobs'),
        blobstoreDiskTmpLocation: path.join(tmpDir, 'blobs-tmp'),
      },
    })
  }
  network = created
  if (shuttingDown) {
    // A signal arrived while starting: shutdown() has already run without a
    // network to close; close it now.
    await created.close().catch(() => {})
    removeTmpDir()
    process.exit(0)
  }

  const domains = network.pds.ctx.cfg.identity.serviceHandleDomains
  const ready = {
    ready: true,
    pds: network.pds.url,
    plc: network.plc.url,
    handleDomain: domains[0],
  }
  if (appview) {
    control = await startControl(parsePort('KERYX_CONTROL_PORT', 0))
    ready.appview = network.bsky.url
    ready.appviewDid = network.bsky.ctx.cfg.serverDid
    ready.control = `http://127.0.0.1:${control.address().port}`
  }
  process.stdout.write(JSON.stringify(ready) + '\n')
  log(`ready: ${JSON.stringify(ready)}, data in ${tmpDir}`)
}

main().catch((err) => {
  log(`failed to start: ${err?.stack ?? err}`)
  const closing = network ? network.close().catch(() => {}) : Promise.resolve()
  closing.finally(() => {
    removeTmpDir()
    process.exit(1)
  })
})
