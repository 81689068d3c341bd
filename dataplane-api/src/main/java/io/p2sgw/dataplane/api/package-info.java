/**
 * The contract between the control plane and the data plane (DESIGN.md "Two planes").
 *
 * <p>The control plane compiles a {@link io.p2sgw.dataplane.api.GatewaySnapshot} from its store and
 * hands it to {@link io.p2sgw.dataplane.api.DataPlane#apply}; the data plane reports
 * {@link io.p2sgw.dataplane.api.SessionEvent}s back. In one JVM these are method calls; between
 * instances the same records travel as JSON. Nothing here may import control or a protocol module.
 */
package io.p2sgw.dataplane.api;
