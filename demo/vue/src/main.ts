// A Vue 3 app using the package as any app would: `secure-viewer/vue` registers and types the tag.
import { createApp } from 'vue';
import 'secure-viewer/vue';
import App from './App.vue';

createApp(App).mount('#app');
