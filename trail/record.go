// Package trail defines the CloudTrail record as tailor reads it, and the
// streaming decoder that yields records from CloudTrail delivery files
// ({"Records":[...]}), JSON-lines exports, and the envelopes records arrive
// in elsewhere (EventBridge, CloudWatch Logs, lookup-events output).
package trail

import (
	json "github.com/goccy/go-json"
	"time"
)

// Record is one CloudTrail event. Only the fields tailor uses are decoded;
// requestParameters and responseElements stay raw until analysis needs them.
type Record struct {
	EventVersion       string          `json:"eventVersion"`
	EventTime          string          `json:"eventTime"`
	EventSource        string          `json:"eventSource"`
	EventName          string          `json:"eventName"`
	EventType          string          `json:"eventType"`
	EventCategory      string          `json:"eventCategory"`
	EventID            string          `json:"eventID"`
	SharedEventID      string          `json:"sharedEventID"`
	AWSRegion          string          `json:"awsRegion"`
	SourceIPAddress    string          `json:"sourceIPAddress"`
	UserAgent          string          `json:"userAgent"`
	ErrorCode          string          `json:"errorCode"`
	ErrorMessage       string          `json:"errorMessage"`
	RecipientAccountID string          `json:"recipientAccountId"`
	VPCEndpointID      string          `json:"vpcEndpointId"`
	TLSDetails         *TLSDetails     `json:"tlsDetails"`
	UserIdentity       *UserIdentity   `json:"userIdentity"`
	Resources          []Resource      `json:"resources"`
	RequestParameters  json.RawMessage `json:"requestParameters"`
	ResponseElements   json.RawMessage `json:"responseElements"`
}

// UserIdentity is the record's userIdentity element.
type UserIdentity struct {
	Type           string          `json:"type"`
	PrincipalID    string          `json:"principalId"`
	ARN            string          `json:"arn"`
	AccountID      string          `json:"accountId"`
	AccessKeyID    string          `json:"accessKeyId"`
	UserName       string          `json:"userName"`
	InvokedBy      string          `json:"invokedBy"`
	IdentityStore  string          `json:"identityStoreArn"`
	SessionContext *SessionContext `json:"sessionContext"`
}

// TLSDetails is present when the request came over TLS.
type TLSDetails struct {
	TLSVersion string `json:"tlsVersion"`
}

// SessionContext holds the issuer of temporary credentials.
type SessionContext struct {
	SessionIssuer *SessionIssuer     `json:"sessionIssuer"`
	Attributes    *SessionAttributes `json:"attributes"`
}

// SessionAttributes say how temporary credentials were issued.
type SessionAttributes struct {
	MFAAuthenticated string `json:"mfaAuthenticated"`
}

// SessionIssuer is the role, user or root that issued a session.
type SessionIssuer struct {
	Type        string `json:"type"`
	PrincipalID string `json:"principalId"`
	ARN         string `json:"arn"`
	AccountID   string `json:"accountId"`
	UserName    string `json:"userName"`
}

// Resource is one entry of the record's resources[] list.
type Resource struct {
	ARN       string `json:"ARN"`
	AccountID string `json:"accountId"`
	Type      string `json:"type"`
}

// Time parses eventTime; the zero time means it was missing or malformed.
func (r *Record) Time() time.Time {
	t, err := time.Parse(time.RFC3339, r.EventTime)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
