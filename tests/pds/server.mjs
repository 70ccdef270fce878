#!/usr/bin/env node
// Local AT Protocol network for Keryx integration tests.
//
// Starts @atproto/dev-env's TestNetworkNoAppView: an in-memory did:plc
// directory (PLC) and one PDS whose databases (SQLite) and blobs live in a
// fresh temporary directory. No AppView, no Ozone, no Postgres, no Redis.
//
// Protocol with the caller (tests/support/pds.py):
//   * stdout carries exactly ONE line, a JSON object, printed once the network
//     answers: {"ready": true, "pds": "http://localhost:2583",
//               "plc": "http://localhost:2582", "handleDomain": ".test"}.
//     Everything else (library logs, console output, errors) goes to stderr.
//   * SIGTERM / SIGINT close the network, delete the temporary directory and
//     exit 0 (exit 1 if closing fails or takes longer than 15 s).
//   * With --exit-with-stdin the server also shuts down when its stdin reaches
//     EOF, so it never outlives a test process that died without cleaning up.
//   * A failure to start prints the error to stderr and exits 1 (nothing on
//     stdout).
//
// Environment: KERYX_PDS_PORT (default 2583), KERYX_PLC_PORT (default 2582).
//
// Usage: node tests/pds/server.mjs [--exit-with-stdin]

import fs from 'node:fs'
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

const main = async () => {
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
  const { TestNetworkNoAppView } = await import('@atproto/dev-env')

  const created = await TestNetworkNoAppView.create({
    plc: { port: plcPort },
    pds: {
      port: pdsPort,
      hostname: 'localhost',
      dataDirectory,
      blobstoreDiskLocation: path.join(tmpDir, 'blobs'),
      blobstoreDiskTmpLocation: path.join(tmpDir, 'blobs-tmp'),
    },
  })
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
  process.stdout.write(JSON.stringify(ready) + '\n')
  log(`ready: PDS ${ready.pds}, PLC ${ready.plc}, data in ${tmpDir}`)
}

main().catch((err) => {
  log(`failed to start: ${err?.stack ?? err}`)
  const closing = network ? network.close().catch(() => {}) : Promise.resolve()
  closing.finally(() => {
    removeTmpDir()
    process.exit(1)
  })
})
