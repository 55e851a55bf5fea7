// The rest of the simulated camera's ONVIF surface (issue 16): GetScopes, GetNetworkInterfaces,
// GetVideoEncoderConfigurations, RelativeMove, GotoHomePosition/SetHomePosition, RemovePreset, and
// SetPreset that refuses a second preset of the same name (ter:PresetExist) as the PTZ spec says.
// Faults are thrown as errors with a `subcode` (Sender, HTTP 400); camera.ts turns them into SOAP.
import type { PtzHead, PtzPosition } from './ptz.js';
import type { CameraFacts, Preset } from './responses.js';
import { attrsOf, escapeXml as x, textOf } from './soap.js';

export interface PtzState {
  ptz: PtzHead;
  presets: Preset[];
  home: PtzPosition;
}

export const MAX_PRESETS = 32;

const senderFault = (subcode: string, message: string) => Object.assign(new Error(message), { subcode });

export function scopes(f: CameraFacts): string {
  const list = [
    ['Fixed', 'onvif://www.onvif.org/type/video_encoder'], ['Fixed', 'onvif://www.onvif.org/type/ptz'], ['Fixed', 'onvif://www.onvif.org/Profile/Streaming'],
    ['Fixed', 'onvif://www.onvif.org/hardware/SimCam'], ['Configurable', `onvif://www.onvif.org/name/${encodeURIComponent(f.name)}`],
    ['Configurable', 'onvif://www.onvif.org/location/watchfloor-sim'],
  ];
  return `<tds:GetScopesResponse>${list.map(([def, item]) => `<tds:Scopes><tt:ScopeDef>${def}</tt:ScopeDef><tt:ScopeItem>${x(item)}</tt:ScopeItem></tds:Scopes>`).join('')}</tds:GetScopesResponse>`;
}

/** A stable locally-administered MAC per camera serial. */
export function macOf(serial: string): string {
  let h = 0;
  for (const c of serial) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const b = [0x02, 0x57, (h >>> 24) & 255, (h >>> 16) & 255, (h >>> 8) & 255, h & 255];
  return b.map((n) => n.toString(16).padStart(2, '0')).join(':');
}

export function networkInterfaces(f: CameraFacts): string {
  return (
    '<tds:GetNetworkInterfacesResponse><tds:NetworkInterfaces token="eth0"><tt:Enabled>true</tt:Enabled>' +
    `<tt:Info><tt:Name>eth0</tt:Name><tt:HwAddress>${macOf(f.serial)}</tt:HwAddress><tt:MTU>1500</tt:MTU></tt:Info>` +
    '<tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Config><tt:Manual><tt:Address>127.0.0.1</tt:Address><tt:PrefixLength>8</tt:PrefixLength></tt:Manual>' +
    '<tt:DHCP>false</tt:DHCP></tt:Config></tt:IPv4></tds:NetworkInterfaces></tds:GetNetworkInterfacesResponse>'
  );
}

export function videoEncoderConfigurations(f: CameraFacts): string {
  return (
    '<trt:GetVideoEncoderConfigurationsResponse><trt:Configurations token="vec1"><tt:Name>main stream</tt:Name><tt:UseCount>1</tt:UseCount>' +
    `<tt:Encoding>${f.codec}</tt:Encoding><tt:Resolution><tt:Width>${f.width}</tt:Width><tt:Height>${f.height}</tt:Height></tt:Resolution>` +
    `<tt:Quality>5</tt:Quality><tt:RateControl><tt:FrameRateLimit>${f.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>1024</tt:BitrateLimit></tt:RateControl>` +
    `${f.codec === 'H264' ? `<tt:H264><tt:GovLength>${f.fps}</tt:GovLength><tt:H264Profile>Baseline</tt:H264Profile></tt:H264>` : ''}` +
    '<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type><tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port><tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>' +
    '<tt:SessionTimeout>PT60S</tt:SessionTimeout></trt:Configurations></trt:GetVideoEncoderConfigurationsResponse>'
  );
}

function vectorOf(xml: string, element: string): Partial<PtzPosition> {
  const inner = textOf(xml, element) ?? '';
  const pt = attrsOf(inner, 'PanTilt');
  const z = attrsOf(inner, 'Zoom');
  const out: Partial<PtzPosition> = {};
  const num = (v: string | undefined) => (v === undefined || v === 'undefined' || v === '' ? undefined : Number(v));
  if (num(pt?.x) !== undefined) out.pan = num(pt?.x);
  if (num(pt?.y) !== undefined) out.tilt = num(pt?.y);
  if (num(z?.x) !== undefined) out.zoom = num(z?.x);
  for (const [k, v] of Object.entries(out)) if (!Number.isFinite(v)) throw senderFault('ter:InvalidArgVal', `${element} ${k} is not a number`);
  return out;
}

/** The response body of one of these operations; undefined when `op` is none of them. */
export function moreOperation(op: string, xml: string, f: CameraFacts, st: PtzState): string | undefined {
  switch (op) {
    case 'GetScopes': return scopes(f);
    case 'GetNetworkInterfaces': return networkInterfaces(f);
    case 'GetVideoEncoderConfigurations': return videoEncoderConfigurations(f);
    case 'RelativeMove': {
      const t = vectorOf(xml, 'Translation');
      const cur = st.ptz.position();
      const target = { pan: cur.pan + (t.pan ?? 0), tilt: cur.tilt + (t.tilt ?? 0), zoom: cur.zoom + (t.zoom ?? 0) };
      const bad = st.ptz.outOfRange(target);
      if (bad) throw senderFault('ter:InvalidArgVal', `relative move leaves the range: ${bad}`);
      st.ptz.absoluteMove(target);
      return '<tptz:RelativeMoveResponse/>';
    }
    case 'GotoHomePosition':
      st.ptz.absoluteMove(st.home);
      return '<tptz:GotoHomePositionResponse/>';
    case 'SetHomePosition':
      st.home = st.ptz.position();
      return '<tptz:SetHomePositionResponse/>';
    case 'RemovePreset': {
      const token = textOf(xml, 'PresetToken');
      if (!st.presets.some((p) => p.token === token)) throw senderFault('ter:NoToken', `no preset ${token}`);
      st.presets = st.presets.filter((p) => p.token !== token);
      return '<tptz:RemovePresetResponse/>';
    }
    case 'SetPreset': {
      const name = textOf(xml, 'PresetName') || undefined;
      const token = textOf(xml, 'PresetToken') || undefined;
      // An unknown PresetToken creates a preset of that token, as many cameras allow (numbered presets).
      // A name already used by another preset: PresetExist (ONVIF PTZ service spec, SetPreset).
      if (name !== undefined && st.presets.some((p) => p.name === name && p.token !== token)) throw senderFault('ter:PresetExist', `a preset named ${name} exists`);
      if (token === undefined && st.presets.length >= MAX_PRESETS) throw senderFault('ter:TooManyPresets', `the camera holds at most ${MAX_PRESETS} presets`);
      let t = token;
      for (let n = st.presets.length + 1; t === undefined; n++) if (!st.presets.some((p) => p.token === `p${n}`)) t = `p${n}`;
      const prev = st.presets.find((p) => p.token === t);
      st.presets = st.presets.filter((p) => p.token !== t);
      st.presets.push({ token: t, name: name ?? prev?.name ?? t, position: st.ptz.position() });
      return `<tptz:SetPresetResponse><tptz:PresetToken>${x(t)}</tptz:PresetToken></tptz:SetPresetResponse>`;
    }
    default:
      return undefined;
  }
}
