/* packet-iana.h - the registration functions of the IANA Service Registry
 * postdissector (packet-iana.c), called through plugin.c. */
#ifndef PACKET_IANA_H
#define PACKET_IANA_H

void proto_register_iana(void);
void proto_reg_handoff_iana(void);

#endif /* PACKET_IANA_H */
