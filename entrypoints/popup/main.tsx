import {render} from 'preact';
import {PopupApp} from '@/components/popup-app';

render(<PopupApp />, document.querySelector('#app')!);
