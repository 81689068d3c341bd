/**
 * One SSTP call on the server, sans I/O ([MS-SSTP] 3.3; sstp.md §2.7): preamble, call setup, PPP, crypto binding, data
 * and teardown with the MS-SSTP timers. The binding to TLS sockets and the TCP 443 demux comes on top of this.
 */
package io.p2sgw.sstp.engine;
