// SOAP response bodies of the simulated camera (pure string builders).
import { escapeXml as x } from './soap.js';
import type { PtzLimits, PtzPosition } from './ptz.js';

export interface CameraFacts {
  name: string;
  serial: string;
  base: string; // http://127.0.0.1:port
  rtspUrl: string;
  width: number;
  height: number;
  fps: number;
  codec: 'H264' | 'H265';
  limits: PtzLimits;
}

export const PROFILE_TOKEN = 'profile1';
export const SOURCE_TOKEN = 'vs1';
export const PAN_TILT_SPACE = 'http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace';
export const ZOOM_SPACE = 'http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function systemDateAndTime(now: number): string {
  const d = new Date(now);
  return (
    '<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>NTP</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>' +
    '<tt:TimeZone><tt:TZ>UTC</tt:TZ></tt:TimeZone><tt:UTCDateTime>' +
    `<tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time>` +
    `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date>` +
    '</tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>'
  );
}

const SERVICES: Array<[string, string]> = [
  ['http://www.onvif.org/ver10/device/wsdl', '/onvif/device_service'],
  ['http://www.onvif.org/ver10/media/wsdl', '/onvif/media_service'],
  ['http://www.onvif.org/ver20/ptz/wsdl', '/onvif/ptz_service'],
  ['http://www.onvif.org/ver10/events/wsdl', '/onvif/events_service'],
];

export function services(f: CameraFacts): string {
  return (
    '<tds:GetServicesResponse>' +
    SERVICES.map(([ns, path]) => `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${f.base}${path}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>5</tt:Minor></tds:Version></tds:Service>`).join('') +
    '</tds:GetServicesResponse>'
  );
}

export function capabilities(f: CameraFacts): string {
  return (
    '<tds:GetCapabilitiesResponse><tds:Capabilities>' +
    `<tt:Device><tt:XAddr>${f.base}/onvif/device_service</tt:XAddr></tt:Device>` +
    `<tt:Events><tt:XAddr>${f.base}/onvif/events_service</tt:XAddr><tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport><tt:WSPullPointSupport>true</tt:WSPullPointSupport><tt:WSPausableSubscriptionManagerInterfaceSupport>false</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>` +
    `<tt:Media><tt:XAddr>${f.base}/onvif/media_service</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>` +
    `<tt:PTZ><tt:XAddr>${f.base}/onvif/ptz_service</tt:XAddr></tt:PTZ>` +
    '</tds:Capabilities></tds:GetCapabilitiesResponse>'
  );
}

export function deviceInformation(f: CameraFacts): string {
  return (
    '<tds:GetDeviceInformationResponse><tds:Manufacturer>Watchfloor</tds:Manufacturer>' +
    `<tds:Model>SimCam ${x(f.name)}</tds:Model><tds:FirmwareVersion>1.0.0</tds:FirmwareVersion>` +
    `<tds:SerialNumber>${x(f.serial)}</tds:SerialNumber><tds:HardwareId>simcam-1</tds:HardwareId></tds:GetDeviceInformationResponse>`
  );
}

function ptzConfiguration(f: CameraFacts, tag: string): string {
  const l = f.limits;
  return (
    `<${tag} token="ptz1"><tt:Name>ptz</tt:Name><tt:UseCount>1</tt:UseCount><tt:NodeToken>node1</tt:NodeToken>` +
    `<tt:DefaultAbsolutePantTiltPositionSpace>${PAN_TILT_SPACE}</tt:DefaultAbsolutePantTiltPositionSpace>` +
    '<tt:DefaultPTZSpeed><tt:PanTilt x="0.5" y="0.5"/><tt:Zoom x="0.5"/></tt:DefaultPTZSpeed><tt:DefaultPTZTimeout>PT10S</tt:DefaultPTZTimeout>' +
    `<tt:PanTiltLimits><tt:Range><tt:URI>${PAN_TILT_SPACE}</tt:URI><tt:XRange><tt:Min>${l.pan[0]}</tt:Min><tt:Max>${l.pan[1]}</tt:Max></tt:XRange>` +
    `<tt:YRange><tt:Min>${l.tilt[0]}</tt:Min><tt:Max>${l.tilt[1]}</tt:Max></tt:YRange></tt:Range></tt:PanTiltLimits>` +
    `<tt:ZoomLimits><tt:Range><tt:URI>${ZOOM_SPACE}</tt:URI><tt:XRange><tt:Min>${l.zoom[0]}</tt:Min><tt:Max>${l.zoom[1]}</tt:Max></tt:XRange></tt:Range></tt:ZoomLimits>` +
    `</${tag}>`
  );
}

export function profiles(f: CameraFacts): string {
  return (
    `<trt:GetProfilesResponse><trt:Profiles token="${PROFILE_TOKEN}" fixed="true"><tt:Name>main</tt:Name>` +
    `<tt:VideoSourceConfiguration token="vsc1"><tt:Name>video source</tt:Name><tt:UseCount>1</tt:UseCount><tt:SourceToken>${SOURCE_TOKEN}</tt:SourceToken>` +
    `<tt:Bounds x="0" y="0" width="${f.width}" height="${f.height}"/></tt:VideoSourceConfiguration>` +
    `<tt:VideoEncoderConfiguration token="vec1"><tt:Name>main stream</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>${f.codec}</tt:Encoding>` +
    `<tt:Resolution><tt:Width>${f.width}</tt:Width><tt:Height>${f.height}</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>` +
    `<tt:RateControl><tt:FrameRateLimit>${f.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>1024</tt:BitrateLimit></tt:RateControl>` +
    '<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>' +
    ptzConfiguration(f, 'tt:PTZConfiguration') +
    '</trt:Profiles></trt:GetProfilesResponse>'
  );
}

export function videoSources(f: CameraFacts): string {
  return (
    `<trt:GetVideoSourcesResponse><trt:VideoSources token="${SOURCE_TOKEN}"><tt:Framerate>${f.fps}</tt:Framerate>` +
    `<tt:Resolution><tt:Width>${f.width}</tt:Width><tt:Height>${f.height}</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`
  );
}

export function streamUri(f: CameraFacts): string {
  return (
    `<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>${x(f.rtspUrl)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
    '<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>'
  );
}

export function snapshotUri(f: CameraFacts): string {
  return (
    `<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>${f.base}/onvif/snapshot.jpg</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>` +
    '<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetSnapshotUriResponse>'
  );
}

export function nodes(f: CameraFacts): string {
  const l = f.limits;
  return (
    '<tptz:GetNodesResponse><tptz:PTZNode token="node1" FixedHomePosition="false"><tt:Name>head</tt:Name><tt:SupportedPTZSpaces>' +
    `<tt:AbsolutePanTiltPositionSpace><tt:URI>${PAN_TILT_SPACE}</tt:URI><tt:XRange><tt:Min>${l.pan[0]}</tt:Min><tt:Max>${l.pan[1]}</tt:Max></tt:XRange><tt:YRange><tt:Min>${l.tilt[0]}</tt:Min><tt:Max>${l.tilt[1]}</tt:Max></tt:YRange></tt:AbsolutePanTiltPositionSpace>` +
    `<tt:AbsoluteZoomPositionSpace><tt:URI>${ZOOM_SPACE}</tt:URI><tt:XRange><tt:Min>${l.zoom[0]}</tt:Min><tt:Max>${l.zoom[1]}</tt:Max></tt:XRange></tt:AbsoluteZoomPositionSpace>` +
    '<tt:RelativePanTiltTranslationSpace><tt:URI>http://www.onvif.org/ver10/tptz/PanTiltSpaces/TranslationGenericSpace</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:RelativePanTiltTranslationSpace>' +
    '<tt:RelativeZoomTranslationSpace><tt:URI>http://www.onvif.org/ver10/tptz/ZoomSpaces/TranslationGenericSpace</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:RelativeZoomTranslationSpace>' +
    '</tt:SupportedPTZSpaces><tt:MaximumNumberOfPresets>32</tt:MaximumNumberOfPresets><tt:HomeSupported>true</tt:HomeSupported></tptz:PTZNode></tptz:GetNodesResponse>'
  );
}

export function configurations(f: CameraFacts): string {
  return `<tptz:GetConfigurationsResponse>${ptzConfiguration(f, 'tptz:PTZConfiguration')}</tptz:GetConfigurationsResponse>`;
}

function positionXml(p: PtzPosition): string {
  return `<tt:PanTilt x="${p.pan}" y="${p.tilt}" space="${PAN_TILT_SPACE}"/><tt:Zoom x="${p.zoom}" space="${ZOOM_SPACE}"/>`;
}

export function ptzStatus(p: PtzPosition, moving: boolean, now: number): string {
  const st = moving ? 'MOVING' : 'IDLE';
  return (
    `<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position>${positionXml(p)}</tt:Position>` +
    `<tt:MoveStatus><tt:PanTilt>${st}</tt:PanTilt><tt:Zoom>${st}</tt:Zoom></tt:MoveStatus><tt:UtcTime>${iso(now)}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`
  );
}

export interface Preset { token: string; name: string; position: PtzPosition }

export function presets(list: Preset[]): string {
  return (
    '<tptz:GetPresetsResponse>' +
    list.map((p) => `<tptz:Preset token="${x(p.token)}"><tt:Name>${x(p.name)}</tt:Name><tt:PTZPosition>${positionXml(p.position)}</tt:PTZPosition></tptz:Preset>`).join('') +
    '</tptz:GetPresetsResponse>'
  );
}

export interface EventMessage {
  topic: string;
  utcMs: number;
  operation: 'Initialized' | 'Changed' | 'Deleted';
  source: [string, string];
  data: [string, string];
}

export function notificationMessage(m: EventMessage): string {
  return (
    `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">${x(m.topic)}</wsnt:Topic>` +
    `<wsnt:Message><tt:Message UtcTime="${new Date(m.utcMs).toISOString()}" PropertyOperation="${m.operation}">` +
    `<tt:Source><tt:SimpleItem Name="${x(m.source[0])}" Value="${x(m.source[1])}"/></tt:Source>` +
    `<tt:Data><tt:SimpleItem Name="${x(m.data[0])}" Value="${x(m.data[1])}"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`
  );
}

export function pullPointCreated(address: string, now: number, terminationMs: number): string {
  return (
    `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address>${x(address)}</wsa:Address></tev:SubscriptionReference>` +
    `<wsnt:CurrentTime>${iso(now)}</wsnt:CurrentTime><wsnt:TerminationTime>${iso(terminationMs)}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>`
  );
}

export function pullMessages(messages: EventMessage[], now: number, terminationMs: number): string {
  return (
    `<tev:PullMessagesResponse><tev:CurrentTime>${iso(now)}</tev:CurrentTime><tev:TerminationTime>${iso(terminationMs)}</tev:TerminationTime>` +
    messages.map(notificationMessage).join('') +
    '</tev:PullMessagesResponse>'
  );
}

export function renewed(now: number, terminationMs: number): string {
  return `<wsnt:RenewResponse><wsnt:TerminationTime>${iso(terminationMs)}</wsnt:TerminationTime><wsnt:CurrentTime>${iso(now)}</wsnt:CurrentTime></wsnt:RenewResponse>`;
}
