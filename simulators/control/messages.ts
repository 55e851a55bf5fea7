// Messages of the control channel that more than one process words the same way (the simulators'
// own process and `npm start`'s parent, which holds the history proxy). No imports: the start
// script loads this before anything heavy.
export const NO_HISTORY_PROXY = 'history-down needs the history proxy (simulators/control/tcp-proxy.ts) in front of the history database; this site has none';
