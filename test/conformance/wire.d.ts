import WebSocket from 'ws';
import { type ClientFrameOf, type ServerFrame, type ServerFrameOf, type ServerFrameType } from '../../protocol/index.ts';
/** Bound of every wait for a frame or a close, unless a test passes its own. */
export declare const WAIT_MS = 4000;
/** What tap's `t` offers for cleanup. */
export interface Teardown {
    teardown(fn: () => unknown): void;
}
export interface OpenOptions {
    /** Subprotocols to offer (default ["chat.v1"]; [] offers none). */
    protocols?: string[];
    origin?: string;
    /** Wait for the welcome frame and keep it in `welcome` (default true). */
    welcome?: boolean;
    /** Answer WebSocket pings (default true). */
    autoPong?: boolean;
    /** Pace sends to the announced rate (default true). */
    pace?: boolean;
}
export type LoginFields = Omit<ClientFrameOf<'login'>, 'type'>;
/** A fresh request id, unique within this process. */
export declare const freshId: (prefix?: string) => string;
/** An error from the server's side of the wire: not a test expectation. */
export declare class WireViolation extends Error {
}
export declare class Wire {
    #private;
    readonly ws: WebSocket;
    /** Every valid frame received, in order (taken or not). */
    readonly received: ServerFrame[];
    /** WebSocket pings received from the server. */
    pings: number;
    /** Close code and reason, once closed. */
    closeInfo: {
        code: number;
        reason: string;
    } | undefined;
    welcome: ServerFrameOf<'welcome'>;
    private constructor();
    /** Opens a connection to `url`; by default waits for the welcome frame. */
    static open(t: Teardown, url: string, options?: OpenOptions): Promise<Wire>;
    /** Opens a connection and logs in; fails unless the reply is login-ok. */
    static login(t: Teardown, url: string, login?: LoginFields, options?: OpenOptions): Promise<{
        wire: Wire;
        ok: ServerFrameOf<"login-ok">;
    }>;
    /** Sends a frame object or raw text, paced to the announced rate. */
    send(frame: Record<string, unknown> | string): void;
    /** Sends at once, ignoring the pacing (flood tests, byte-exact frames). */
    sendNow(data: string | Buffer, options?: {
        binary?: boolean;
    }): void;
    /** Sends a request with a fresh id (unless it has one) and resolves with its reply. */
    request(frame: Record<string, unknown>, timeoutMs?: number): Promise<ServerFrame>;
    /** Sends a request and returns its reply, which must be of type `type`. */
    ok<K extends ServerFrameType>(type: K, frame: Record<string, unknown>): Promise<ServerFrameOf<K>>;
    /** The next frame in order; when `type` is given it must be of that type. */
    next<K extends ServerFrameType>(type?: K, timeoutMs?: number): Promise<ServerFrameOf<K>>;
    /** The first queued or future frame matching `match`, leaving the others queued. */
    take(match: (f: ServerFrame) => boolean, what?: string, timeoutMs?: number): Promise<ServerFrame>;
    /** The first frame of `type` (optionally also matching `where`), leaving the others queued. */
    takeType<K extends ServerFrameType>(type: K, where?: (f: ServerFrameOf<K>) => boolean, timeoutMs?: number): Promise<ServerFrameOf<K>>;
    /**
     * Sends a ping and returns every frame that arrived before its pong. An
     * empty result proves this connection got nothing else up to that point.
     */
    framesBeforePong(timeoutMs?: number): Promise<ServerFrame[]>;
    /** Frames received and not taken yet. */
    pending(): readonly ServerFrame[];
    /** True when no frame arrives within `ms`: only for absence that no barrier can prove. */
    quiet(ms?: number): Promise<boolean>;
    /** Resolves with the close code and reason, within `timeoutMs`. */
    closed(timeoutMs?: number): Promise<{
        code: number;
        reason: string;
    }>;
    /** True once the socket is closed (or closing). */
    get isClosed(): boolean;
    close(code?: number): void;
    terminate(): void;
}
/** Outcome of a bare HTTP upgrade request. */
export interface HandshakeResult {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    /** Body of a refusal, parsed as JSON when it is JSON. */
    body: unknown;
}
/** Sends one WebSocket upgrade request with exactly these headers, to read a refusal's status and body. */
export declare function handshake(url: string, headers: Record<string, string>, timeoutMs?: number): Promise<HandshakeResult>;
//# sourceMappingURL=wire.d.ts.map