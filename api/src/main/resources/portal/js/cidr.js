// IPv4 CIDR arithmetic for form proposals (the API checks every prefix itself; azure-p2s.md §1.2, §2.1).

/** The GatewaySubnet size the docs recommend (azure-p2s.md §1.2: "/27 or larger"). */
export const GATEWAY_SUBNET_BITS = 27;
const MAX_PREFIXES = 64;

/** "10.1.0.0/16" → {start, bits} with start as an unsigned 32-bit number aligned to the prefix; null if invalid. */
export function parseCidr(text) {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(String(text).trim());
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) return null;
  const addr = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const size = 2 ** (32 - bits);
  return { start: addr - (addr % size), size, bits };
}

export function formatCidr(start, bits) {
  return [24, 16, 8, 0].map((s) => Math.floor(start / 2 ** s) % 256).join('.') + '/' + bits;
}

/**
 * A free /27 for GatewaySubnet inside {@code spaces} that overlaps none of {@code used}: the first /27 of the space's
 * last /24 when free (10.1.255.0/27 for 10.1.0.0/16, the docs' example), else the highest free /27. Null when the
 * space is empty, invalid or full.
 */
export function proposeGatewaySubnet(spaces, used) {
  const taken = used.slice(0, MAX_PREFIXES).map(parseCidr).filter(Boolean);
  const free = (start, size) => taken.every((t) => start + size <= t.start || t.start + t.size <= start);
  const size = 2 ** (32 - GATEWAY_SUBNET_BITS);
  for (const space of spaces.slice(0, MAX_PREFIXES).map(parseCidr).filter(Boolean)) {
    if (space.bits > GATEWAY_SUBNET_BITS) continue;
    if (space.bits <= 24) {
      const lastSlash24 = space.start + space.size - 256;
      if (free(lastSlash24, size)) return formatCidr(lastSlash24, GATEWAY_SUBNET_BITS);
    }
    for (let s = space.start + space.size - size; s >= space.start; s -= size) {
      if (free(s, size)) return formatCidr(s, GATEWAY_SUBNET_BITS);
    }
  }
  return null;
}
