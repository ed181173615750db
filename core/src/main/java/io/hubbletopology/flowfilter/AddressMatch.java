package io.hubbletopology.flowfilter;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * One value of a source_ip/destination_ip filter: an exact address ("10.0.1.5") or a CIDR range
 * ("10.0.1.0/24", "fd00::/64"), as Hubble accepts them.
 */
record AddressMatch(byte[] network, int prefixBits) {

    // Only literal addresses: InetAddress.getByName must never go to DNS from a filter.
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+(%\\w+)?");

    static AddressMatch parse(String field, String value) {
        String text = value.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = literal(field, value, address);
        int bits = bytes.length * 8;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new InvalidFilterException(field, "'" + value + "' has no prefix length after '/'");
            }
            if (bits < 0 || bits > bytes.length * 8) {
                throw new InvalidFilterException(field, "'" + value + "' has a prefix length outside 0.." + bytes.length * 8);
            }
        }
        return new AddressMatch(bytes, bits);
    }

    boolean matches(String ip) {
        if (ip.isEmpty() || !LITERAL.matcher(ip).matches()) {
            return false;
        }
        byte[] candidate;
        try {
            candidate = InetAddress.getByName(ip).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        if (candidate.length != network.length) {
            return false;
        }
        int whole = prefixBits / 8;
        for (int i = 0; i < whole; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (candidate[whole] & mask) == (network[whole] & mask);
    }

    private static byte[] literal(String field, String value, String address) {
        if (address.isEmpty() || !LITERAL.matcher(address).matches() || !(address.contains(".") || address.contains(":"))) {
            throw new InvalidFilterException(field, "'" + value + "' is not an IP address or CIDR");
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new InvalidFilterException(field, "'" + value + "' is not an IP address or CIDR");
        }
    }
}
