package analyze

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/tailor-iam/tailor/trail"
)

// Origin is where and how a request was made, as the context keys IAM
// evaluates see it: aws:SourceIp (or aws:VpcSourceIp and aws:SourceVpce
// through a VPC endpoint), whether a service made the call
// (aws:ViaAWSService, aws:CalledVia), aws:SecureTransport and
// aws:MultiFactorAuthPresent. A policy condition on them can deny a request
// that its statements otherwise allow, so verify replays each origin a fact
// was seen from.
type Origin struct {
	IP      string // sourceIPAddress when it is an IP address
	VPCE    string // vpcEndpointId
	Service string // the service that made the call (userIdentity.invokedBy)
	TLS     bool   // the record has tlsDetails
	MFA     string // sessionContext.attributes.mfaAuthenticated: "true", "false", or "" (no session)
}

// Seen is an origin with when a fact's requests came from it.
type Seen struct {
	Origin
	First, Last int64
}

// MaxOrigins is how many distinct origins a fact keeps; beyond them,
// Stat.MoreOrigins is set.
const MaxOrigins = 16

func originOf(r *trail.Record) Origin {
	var o Origin
	ip := r.SourceIPAddress
	if _, err := netip.ParseAddr(ip); err == nil {
		o.IP = ip
	} else if strings.HasSuffix(ip, ".amazonaws.com") {
		o.Service = ip
	}
	if id := r.UserIdentity; id != nil {
		if strings.HasSuffix(id.InvokedBy, ".amazonaws.com") {
			o.Service = id.InvokedBy
		}
		if sc := id.SessionContext; sc != nil && sc.Attributes != nil {
			o.MFA = sc.Attributes.MFAAuthenticated
		}
	}
	o.VPCE = r.VPCEndpointID
	o.TLS = r.TLSDetails != nil
	return o
}

func (o Origin) less(p Origin) bool {
	switch {
	case o.IP != p.IP:
		return o.IP < p.IP
	case o.VPCE != p.VPCE:
		return o.VPCE < p.VPCE
	case o.Service != p.Service:
		return o.Service < p.Service
	case o.TLS != p.TLS:
		return !o.TLS
	}
	return o.MFA < p.MFA
}

// addOrigin records that the fact was seen from o at t. The kept origins
// are the MaxOrigins smallest, each with its own first and last time, so
// they do not depend on the order events came in or how the input was
// split.
func (s *Stat) addOrigin(o Origin, first, last int64) {
	for i := range s.Origins {
		if x := &s.Origins[i]; x.Origin == o {
			if first != 0 && (x.First == 0 || first < x.First) {
				x.First = first
			}
			if last > x.Last {
				x.Last = last
			}
			return
		}
	}
	i := sort.Search(len(s.Origins), func(i int) bool { return o.less(s.Origins[i].Origin) })
	if len(s.Origins) == MaxOrigins {
		s.MoreOrigins = true
		if i == MaxOrigins {
			return
		}
		s.Origins = s.Origins[:MaxOrigins-1]
	}
	s.Origins = append(s.Origins, Seen{})
	copy(s.Origins[i+1:], s.Origins[i:])
	o.IP, o.VPCE, o.Service, o.MFA = strings.Clone(o.IP), strings.Clone(o.VPCE), strings.Clone(o.Service), strings.Clone(o.MFA)
	s.Origins[i] = Seen{Origin: o, First: first, Last: last}
}

func (s *Stat) mergeOrigins(o *Stat) {
	for _, x := range o.Origins {
		s.addOrigin(x.Origin, x.First, x.Last)
	}
	s.MoreOrigins = s.MoreOrigins || o.MoreOrigins
}
