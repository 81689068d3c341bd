-- Sessions reported per instance (issue 17): any instance lists every instance's sessions in the connection health,
-- and a disconnect through any instance reaches the one that holds the session through disconnect_requests.
CREATE TABLE instance_sessions (
    instance_name     VARCHAR(100) NOT NULL,
    vpn_connection_id VARCHAR(100) NOT NULL,
    gateway_id        VARCHAR(1024) NOT NULL,
    tunnel_type       VARCHAR(20)  NOT NULL,
    user_name         VARCHAR(400) NOT NULL,
    thumbprint        VARCHAR(40)  NOT NULL,
    public_ip         VARCHAR(64)  NOT NULL,
    public_port       INTEGER      NOT NULL,
    private_address   VARCHAR(40)  NOT NULL,
    start_time        BIGINT       NOT NULL,
    ingress_bytes     BIGINT       NOT NULL,
    egress_bytes      BIGINT       NOT NULL,
    ingress_packets   BIGINT       NOT NULL,
    egress_packets    BIGINT       NOT NULL,
    PRIMARY KEY (instance_name, vpn_connection_id)
);

CREATE TABLE disconnect_requests (
    instance_name     VARCHAR(100) NOT NULL,
    vpn_connection_id VARCHAR(100) NOT NULL,
    reason            VARCHAR(400) NOT NULL,
    requested_at      BIGINT       NOT NULL,
    PRIMARY KEY (instance_name, vpn_connection_id)
);
