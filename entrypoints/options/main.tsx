import {render} from 'preact';
import {OptionsApp} from '@/components/options-app';

render(<OptionsApp />, document.querySelector('#app')!);
