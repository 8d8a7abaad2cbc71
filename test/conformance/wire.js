// The conformance kit's raw-frame client. Like test/helpers/raw-client.ts, it
// sends exact JSON and reads every server frame in order with bounded waits,
// and it also checks the wire itself: every server message must be a text
// frame holding one JSON object that matches its ServerFrame schema. The first
// violation fails every later wait on that client, so a test cannot pass over it.
// Sends are paced to the limits the welcome frame announces (unless `sendNow`),
// so only the §13 tests ever meet `rate-limited`.
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import WebSocket from 'ws';
import { decodeServerFrame, SUBPROTOCOL, } from "../../protocol/index.js";
/** Bound of every wait for a frame or a close, unless a test passes its own. */
export const WAIT_MS = 4_000;
let nextRequest = 1;
/** A fresh request id, unique within this process. */
export const freshId = (prefix = 'r') => `${prefix}${nextRequest++}`;
/** An error from the server's side of the wire: not a test expectation. */
export class WireViolation extends Error {
}
export class Wire {
    ws;
    /** Every valid frame received, in order (taken or not). */
    received = [];
    /** WebSocket pings received from the server. */
    pings = 0;
    /** Close code and reason, once closed. */
    closeInfo;
    welcome;
    #violation;
    #queue = [];
    #waiters = [];
    #closed;
    // Client-side token bucket mirroring the announced limits, with a margin.
    #pace = false;
    #tokens = 0;
    #burst = 1;
    #perMs = 1;
    #last = 0;
    #outbox = [];
    #pumping;
    constructor(ws) {
        this.ws = ws;
        ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
        ws.on('ping', () => { this.pings++; });
        this.#closed = new Promise((resolve) => ws.on('close', (code, reason) => {
            clearTimeout(this.#pumping);
            this.closeInfo = { code, reason: reason.toString() };
            resolve(this.closeInfo);
        }));
        ws.on('error', () => { });
    }
    /** Opens a connection to `url`; by default waits for the welcome frame. */
    static async open(t, url, options = {}) {
        const headers = {};
        if (options.origin !== undefined)
            headers.origin = options.origin;
        const ws = new WebSocket(url, options.protocols ?? [SUBPROTOCOL], { headers, autoPong: options.autoPong ?? true, handshakeTimeout: WAIT_MS });
        const wire = new Wire(ws);
        t.teardown(() => wire.terminate());
        await new Promise((resolve, reject) => {
            ws.once('open', () => resolve());
            ws.once('unexpected-response', (_req, res) => {
                res.resume();
                reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { statusCode: res.statusCode }));
            });
            ws.once('error', reject);
        });
        if (options.welcome !== false) {
            wire.welcome = await wire.next('welcome');
            if (options.pace !== false)
                wire.#startPacing();
        }
        return wire;
    }
    /** Opens a connection and logs in; fails unless the reply is login-ok. */
    static async login(t, url, login = {}, options = {}) {
        const wire = await Wire.open(t, url, options);
        const ok = await wire.request({ type: 'login', ...login });
        if (ok.type !== 'login-ok')
            throw new Error(`login failed: ${JSON.stringify(ok)}`);
        return { wire, ok: ok };
    }
    #onMessage(data, isBinary) {
        const text = data.toString();
        let problem;
        let frame;
        if (isBinary)
            problem = `binary frame from the server (§2): ${text.slice(0, 200)}`;
        else {
            const decoded = decodeServerFrame(text);
            if (decoded.ok)
                frame = decoded.frame;
            else
                problem = `server frame violates its schema (${decoded.code}: ${decoded.message} ${(decoded.details ?? []).join('; ')}): ${text.slice(0, 300)}`;
        }
        if (problem !== undefined || frame === undefined) {
            this.#violation ??= new WireViolation(problem ?? 'unreadable frame');
            for (const w of this.#waiters) {
                clearTimeout(w.timer);
                w.reject(this.#violation);
            }
            this.#waiters = [];
            return;
        }
        this.received.push(frame);
        const waiter = this.#waiters.find((w) => w.match(frame));
        if (waiter) {
            this.#waiters = this.#waiters.filter((w) => w !== waiter);
            clearTimeout(waiter.timer);
            waiter.resolve(frame);
        }
        else
            this.#queue.push(frame);
    }
    #startPacing() {
        const { messageBurst, messagesPerSecond } = this.welcome.limits;
        // The server counts arrival times, which can bunch up in transit: keep a margin.
        this.#burst = Math.max(1, messageBurst - 2);
        this.#perMs = (messagesPerSecond * 0.8) / 1000;
        this.#tokens = this.#burst;
        this.#last = Date.now();
        this.#pace = this.#perMs > 0;
    }
    #pump() {
        this.#pumping = undefined;
        while (this.#outbox.length > 0) {
            const now = Date.now();
            this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#perMs);
            this.#last = now;
            if (this.#tokens < 1) {
                this.#pumping = setTimeout(() => this.#pump(), Math.ceil((1 - this.#tokens) / this.#perMs));
                return;
            }
            this.#tokens -= 1;
            const data = this.#outbox.shift();
            if (this.ws.readyState === WebSocket.OPEN)
                this.ws.send(data, { binary: false });
        }
    }
    /** Sends a frame object or raw text, paced to the announced rate. */
    send(frame) {
        const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
        if (!this.#pace)
            return this.sendNow(text);
        this.#outbox.push(text);
        if (this.#pumping === undefined)
            this.#pump();
    }
    /** Sends at once, ignoring the pacing (flood tests, byte-exact frames). */
    sendNow(data, options = {}) {
        this.ws.send(data, { binary: options.binary ?? false });
    }
    /** Sends a request with a fresh id (unless it has one) and resolves with its reply. */
    async request(frame, timeoutMs = WAIT_MS) {
        const id = typeof frame.id === 'string' ? frame.id : freshId();
        this.send({ ...frame, id });
        return this.take((f) => 'id' in f && f.id === id, `reply to ${id} (${String(frame.type)})`, timeoutMs);
    }
    /** Sends a request and returns its reply, which must be of type `type`. */
    async ok(type, frame) {
        const reply = await this.request(frame);
        if (reply.type !== type)
            throw new Error(`expected "${type}" in reply to ${JSON.stringify(frame).slice(0, 200)}, got ${JSON.stringify(reply).slice(0, 300)}`);
        return reply;
    }
    /** The next frame in order; when `type` is given it must be of that type. */
    async next(type, timeoutMs = WAIT_MS) {
        if (this.#violation)
            throw this.#violation;
        const frame = this.#queue.shift() ?? (await this.#wait(() => true, type ?? 'any frame', timeoutMs));
        if (type !== undefined && frame.type !== type)
            throw new Error(`expected "${type}", got ${JSON.stringify(frame).slice(0, 400)}`);
        return frame;
    }
    /** The first queued or future frame matching `match`, leaving the others queued. */
    async take(match, what = 'matching frame', timeoutMs = WAIT_MS) {
        if (this.#violation)
            throw this.#violation;
        const i = this.#queue.findIndex(match);
        if (i >= 0)
            return this.#queue.splice(i, 1)[0];
        return this.#wait(match, what, timeoutMs);
    }
    /** The first frame of `type` (optionally also matching `where`), leaving the others queued. */
    async takeType(type, where = () => true, timeoutMs = WAIT_MS) {
        return (await this.take((f) => f.type === type && where(f), `"${type}" frame`, timeoutMs));
    }
    /**
     * Sends a ping and returns every frame that arrived before its pong. An
     * empty result proves this connection got nothing else up to that point.
     */
    async framesBeforePong(timeoutMs = WAIT_MS) {
        const id = freshId('barrier');
        this.send({ type: 'ping', id });
        const before = [];
        for (;;) {
            const frame = await this.next(undefined, timeoutMs);
            if (frame.type === 'pong' && frame.id === id)
                return before;
            before.push(frame);
        }
    }
    /** Frames received and not taken yet. */
    pending() {
        if (this.#violation)
            throw this.#violation;
        return this.#queue;
    }
    /** True when no frame arrives within `ms`: only for absence that no barrier can prove. */
    async quiet(ms = 100) {
        if (this.#violation)
            throw this.#violation;
        if (this.#queue.length > 0)
            return false;
        try {
            await this.#wait(() => true, 'silence', ms);
            return false;
        }
        catch (err) {
            if (err instanceof WireViolation)
                throw err;
            return true;
        }
    }
    #wait(match, what, timeoutMs) {
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.#waiters = this.#waiters.filter((w) => w.timer !== timer);
                const closed = this.closeInfo ? ` (the connection was closed: ${this.closeInfo.code} ${this.closeInfo.reason})` : '';
                reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}${closed}; queued: ${JSON.stringify(this.#queue).slice(0, 600)}`));
            }, timeoutMs);
            this.#waiters.push({ match, resolve, reject, timer });
        });
    }
    /** Resolves with the close code and reason, within `timeoutMs`. */
    async closed(timeoutMs = WAIT_MS) {
        let timer;
        const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no close within ${timeoutMs} ms`)), timeoutMs); });
        try {
            return await Promise.race([this.#closed, timeout]);
        }
        finally {
            clearTimeout(timer);
        }
    }
    /** True once the socket is closed (or closing). */
    get isClosed() {
        return this.ws.readyState === WebSocket.CLOSED || this.ws.readyState === WebSocket.CLOSING;
    }
    close(code = 1000) {
        if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)
            this.ws.close(code);
    }
    terminate() {
        clearTimeout(this.#pumping);
        this.ws.terminate();
    }
}
/** Sends one WebSocket upgrade request with exactly these headers, to read a refusal's status and body. */
export async function handshake(url, headers, timeoutMs = WAIT_MS) {
    const request = url.startsWith('wss:') ? httpsRequest : httpRequest;
    const target = new URL(url.replace(/^ws/, 'http'));
    return new Promise((resolve, reject) => {
        const req = request(target, {
            headers: {
                connection: 'Upgrade',
                upgrade: 'websocket',
                'sec-websocket-version': '13',
                'sec-websocket-key': randomBytes(16).toString('base64'),
                ...headers,
            },
            timeout: timeoutMs,
        });
        req.on('timeout', () => req.destroy(new Error(`no handshake answer within ${timeoutMs} ms`)));
        req.on('error', reject);
        req.on('upgrade', (res, socket) => {
            socket.destroy();
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: undefined });
        });
        req.on('response', (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk) => { text += chunk; });
            res.on('end', () => {
                let body = text;
                try {
                    body = JSON.parse(text);
                }
                catch { /* not JSON: keep the text */ }
                resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
            });
        });
        req.end();
    });
}
//# sourceMappingURL=wire.js.map