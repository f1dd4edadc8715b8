import NIOCore
import NIOPosix
import NIOSSL

/// TLS for Redis (`rediss://`) in front of hiredis, which Debian 12 ships without TLS
/// (0.14): a listener on 127.0.0.1 that the plain connections reach, and for each of them a
/// TLS connection to the real server, bytes relayed both ways. The server's certificate is
/// verified against the system's roots or a CA file (`REDIS_TLS_CA_FILE`), with its host name.
///
/// Everything runs on one event loop of its own, so the two halves of a relay never race. The
/// loopback listener relays any local process to Redis: the Redis password still guards it.
public final class RedisTLSTunnel: Sendable {
    /// The loopback port hiredis connects to.
    public let localPort: Int
    private let group: MultiThreadedEventLoopGroup
    private let listener: any Channel

    /// Binds the listener. Blocks while binding: call at start-up, not on an event loop.
    public init(host: String, port: Int, caFile: String?) throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let caFile { tls.trustRoots = .file(caFile) }
        let context = try NIOSSLContext(configuration: tls)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let listener = try ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(.autoRead, value: false)
                .childChannelInitializer { inbound in
                    Self.relay(inbound, to: host, port: port, context: context)
                }
                .bind(host: "127.0.0.1", port: 0).wait()
            self.localPort = listener.localAddress?.port ?? 0
            self.listener = listener
            self.group = group
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    /// Connects the accepted plain connection to the server over TLS and glues the two.
    private static func relay(_ inbound: any Channel, to host: String, port: Int, context: NIOSSLContext) -> EventLoopFuture<Void> {
        ClientBootstrap(group: inbound.eventLoop)
            .channelInitializer { outbound in
                outbound.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: Self.isAddress(host) ? nil : host)
                    try outbound.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: host, port: port)
            .flatMapThrowing { outbound in
                // Both channels live on this one loop: the handlers may hold each other.
                let (plain, secure) = RelayHandler.matchedPair()
                do {
                    try inbound.pipeline.syncOperations.addHandler(plain)
                    try outbound.pipeline.syncOperations.addHandler(secure)
                } catch {
                    // Half a relay holds two connections open and never moves a byte.
                    outbound.close(promise: nil)
                    throw error
                }
                _ = inbound.setOption(.autoRead, value: true)
            }
            .flatMapErrorThrowing { error in
                inbound.close(promise: nil)
                throw error
            }
    }

    static func isAddress(_ host: String) -> Bool {
        host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
    }

    public func close() {
        try? listener.close().wait()
        try? group.syncShutdownGracefully()
    }
}

/// One half of a relay between two channels on the same event loop: what one reads, the
/// other writes; a read waits while the partner cannot write (backpressure); a close or an
/// error on either side closes both.
final class RelayHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var partner: RelayHandler?
    private var context: ChannelHandlerContext?
    private var pendingRead = false

    static func matchedPair() -> (RelayHandler, RelayHandler) {
        let first = RelayHandler(), second = RelayHandler()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        partner?.partnerWrite(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) { partner?.partnerFlush() }

    func channelInactive(context: ChannelHandlerContext) { partner?.partnerClose() }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
        partner?.partnerClose()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.partnerBecameWritable() }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if let partner, partner.partnerWritable { context.read() } else { pendingRead = true }
    }

    private func partnerWrite(_ buffer: ByteBuffer) { context?.write(wrapOutboundOut(buffer), promise: nil) }
    private func partnerFlush() { context?.flush() }
    private func partnerClose() { context?.close(promise: nil) }
    private var partnerWritable: Bool { context?.channel.isWritable ?? false }

    private func partnerBecameWritable() {
        guard pendingRead else { return }
        pendingRead = false
        context?.read()
    }
}
