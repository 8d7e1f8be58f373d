import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { session, loadSession } from './session';
import { returnPath } from './session-sync';

declare module 'vue-router' {
  interface RouteMeta {
    title: string;
    /** Open without a session (the login). */
    public?: boolean;
    admin?: boolean;
  }
}

// Each page is its own chunk: a member's first load carries no admin page.
const routes: RouteRecordRaw[] = [
  { path: '/', name: 'me', component: () => import('./pages/ProfilePage.vue'), meta: { title: '我的' } },
  { path: '/login', name: 'login', component: () => import('./pages/LoginPage.vue'), meta: { title: '登录', public: true } },
  { path: '/password', name: 'password', component: () => import('./pages/PasswordPage.vue'), meta: { title: '修改密码' } },
  { path: '/fees', name: 'fees', component: () => import('./pages/FeesPage.vue'), meta: { title: '我的团费' } },
  { path: '/activities', name: 'activities', component: () => import('./pages/MyActivitiesPage.vue'), meta: { title: '我的活动' } },
  { path: '/admin', name: 'admin', component: () => import('./pages/AdminPage.vue'), meta: { title: '组织管理', admin: true } },
  { path: '/orgs/:id?', name: 'tree', component: () => import('./pages/OrgTreePage.vue'), meta: { title: '组织与信息录入', admin: true } },
  { path: '/orgs/:id/people', name: 'people', component: () => import('./pages/OrgPeoplePage.vue'), meta: { title: '成员', admin: true } },
  {
    path: '/manage/activities',
    name: 'manage-activities',
    component: () => import('./pages/ManageActivitiesPage.vue'),
    meta: { title: '活动管理', admin: true },
  },
  { path: '/manage/activities/:id/pick', name: 'picker', component: () => import('./pages/PickerPage.vue'), meta: { title: '选择参加人员', admin: true } },
  { path: '/applications', name: 'applications', component: () => import('./pages/ApplicationsPage.vue'), meta: { title: '待审批', admin: true } },
  { path: '/:rest(.*)*', redirect: '/' },
];

export const router = createRouter({ history: createWebHistory('/app/'), routes });

router.beforeEach(async (to) => {
  if (!session.loaded) await loadSession().catch(() => undefined);
  const me = session.me;
  // Logged in meanwhile (from Telegram, or in another tab): the login page has nothing to do.
  if (to.name === 'login' && me) return typeof to.query.next === 'string' && to.query.next.startsWith('/') ? to.query.next : '/';
  if (to.meta.public) return true;
  // Never the hash: inside Telegram it holds the signed initData, which no address of ours may carry.
  const next = returnPath(to.fullPath);
  if (!me) return { name: 'login', query: next === '/' ? {} : { next } };
  if (me.session.mustChangePassword && to.name !== 'password') return { name: 'password' };
  if (to.meta.admin && !me.isAdmin) return { name: 'me' };
  return true;
});

router.afterEach((to) => {
  document.title = `${to.meta.title} · 智慧团建`;
});
