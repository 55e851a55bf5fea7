// UI strings: the frame on phone / desk / wall (tab bar, status dot, install and notifications).
// The zh-CN table is typed against the English one: a missing translation is a compile error.

export const en = {
  'shell.menu': 'Menu',
  'shell.site': 'Site',
  'shell.status.ok': 'All connections online',
  'shell.status.problem': '{n} connection(s) not online',
  'shell.status.down': 'Live link down',
  'shell.notify.enable': 'Enable notifications',
  'shell.notify.granted': 'Notifications on',
  'shell.notify.denied': 'Notifications are blocked in this browser',
  'shell.notify.unsupported': 'This browser cannot show notifications',
  'shell.install': 'Install app',
  'shell.more': 'More',
  'bell.title': 'Notifications',
  'bell.unread': '{n} unread notification(s)',
  'bell.empty': 'No notifications yet.',
  'bell.error': 'Notifications could not be loaded: {msg}',
  'banner.waiting': '{n} alarm(s) to acknowledge',
} as const;

export const zhCN: Record<keyof typeof en, string> = {
  'shell.menu': '菜单',
  'shell.site': '站点',
  'shell.status.ok': '所有连接在线',
  'shell.status.problem': '{n} 个连接不在线',
  'shell.status.down': '实时连接中断',
  'shell.notify.enable': '开启通知',
  'shell.notify.granted': '通知已开启',
  'shell.notify.denied': '此浏览器已阻止通知',
  'shell.notify.unsupported': '此浏览器不支持通知',
  'shell.install': '安装应用',
  'shell.more': '更多',
  'bell.title': '通知',
  'bell.unread': '{n} 条未读通知',
  'bell.empty': '暂无通知。',
  'bell.error': '无法加载通知：{msg}',
  'banner.waiting': '{n} 条报警待确认',
};
