/**
 * What every module's tests share, instead of copies (issue 12). Modules depend on {@code io.p2sgw:testkit} with
 * {@code <scope>test</scope>} only; nothing here is in the product.
 *
 * <ul>
 *   <li>{@link io.p2sgw.testkit.pki.TestPki}: the test PKI. Roots (EC P-256 or RSA-2048), intermediates, client and
 *       server certificates, and the shapes the certificate policy refuses (expired, not yet valid, no Client
 *       Authentication EKU, another root). {@link io.p2sgw.testkit.pki.Issued} is one certificate with its key and
 *       chain (thumbprint, PEM files, the product's {@code KeyAndChain}); {@link io.p2sgw.testkit.pki.Jsse} makes JSSE
 *       key and trust managers over them.</li>
 *   <li>{@link io.p2sgw.testkit.core.FakeCore}: a {@code GatewayCore} for a protocol module's tests (admit, re-admit,
 *       what the session reported).</li>
 *   <li>{@link io.p2sgw.testkit.transport.LoopbackDatagramHost}: runs a protocol's {@code DatagramService} on one
 *       loopback UDP socket, as the core's datagram transport does.</li>
 *   <li>{@link io.p2sgw.testkit.snapshot.SnapshotBuilder}: a {@code GatewaySnapshot} of the seed gateway with what a
 *       test changes.</li>
 *   <li>{@link io.p2sgw.testkit.dataplane.RecordingDataPlane}: a {@code DataPlane} for control-plane, API and server
 *       tests.</li>
 *   <li>{@link io.p2sgw.testkit.bytes.Hex}: byte templates written as the specs write them.</li>
 * </ul>
 *
 * <p>A fake only one protocol's tests use stays in that protocol's module (openvpn's client process, tls's JSSE
 * client pump, sstp's PPP recording host).
 */
package io.p2sgw.testkit;
